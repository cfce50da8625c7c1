"""The English catalog (locale/en/LC_MESSAGES): complete, compiled, and used.

The source strings are Simplified Chinese; English is the catalog. The .po is
the source of truth and the compiled .mo is committed next to it (a fresh
machine may lack GNU gettext), so the tests check that the .mo says what the
.po says, and that English pages keep no Chinese of ours."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from projects.choices import LedgerStatus
from tests import factories as f

PO = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")


# --- The catalog ------------------------------------------------------------------------


def _parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: flags, msgctxt, msgid, msgid_plural, msgstr
    (a list: one item, or one per plural form). Obsolete (#~) entries are skipped."""
    entries, entry, field = [], None, None

    def close():
        if entry is not None and entry.get("msgid") is not None:
            entries.append(entry)

    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            close()
            entry, field = None, None
            continue
        if line.startswith("#~"):
            continue
        if entry is None:
            entry = {"flags": set(), "msgctxt": None, "msgid_plural": None, "msgstr": []}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if field == "msgstr":
                entry["msgstr"][-1] += value
            else:
                entry[field] += value
        else:
            keyword, _space, value = line.partition(" ")
            value = ast.literal_eval(value)
            if keyword.startswith("msgstr"):
                field = "msgstr"
                entry["msgstr"].append(value)
            else:
                field = keyword
                entry[field] = value
    close()
    return entries


@pytest.fixture(scope="module")
def catalog() -> list[dict]:
    assert PO.exists(), f"{PO} is missing: run manage.py makemessages -l en"
    entries = _parse_po(PO)
    assert entries[0]["msgid"] == "", "the header comes first"
    return entries


def test_the_catalog_is_complete(catalog):
    header, messages = catalog[0], catalog[1:]
    assert "fuzzy" not in header["flags"]
    assert "Language: en\n" in header["msgstr"][0]
    assert len(messages) > 500
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    untranslated = [e["msgid"] for e in messages if not all(s.strip() for s in e["msgstr"])]
    assert fuzzy == []
    assert untranslated == []
    for e in messages:
        assert len(e["msgstr"]) == (2 if e["msgid_plural"] is not None else 1), e["msgid"]


_PLACEHOLDER = re.compile(r"%(?:\([A-Za-z_]\w*\))?[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrs%]|\{\w*\}")


def test_translations_keep_every_placeholder_and_leave_no_chinese(catalog):
    for e in catalog[1:]:
        sources = [e["msgid"], e["msgid_plural"] or e["msgid"]]
        for source, translated in zip(sources, e["msgstr"], strict=False):
            assert sorted(_PLACEHOLDER.findall(translated)) == sorted(
                _PLACEHOLDER.findall(source)
            ), (source, translated)
            assert not CJK.search(translated), (source, translated)


def test_the_compiled_catalog_matches_the_po(catalog):
    """Every msgid of the .po translates to its msgstr through Django: the
    committed .mo is compiled from this .po (recompile after editing it)."""
    stale = []
    with translation.override("en"):
        for e in catalog[1:]:
            msgid, plural, msgstr, context = (
                e["msgid"],
                e["msgid_plural"],
                e["msgstr"],
                e["msgctxt"],
            )
            if plural is None:
                got = [
                    translation.pgettext(context, msgid)
                    if context is not None
                    else translation.gettext(msgid)
                ]
            elif context is not None:
                got = [translation.npgettext(context, msgid, plural, n) for n in (1, 2)]
            else:
                got = [translation.ngettext(msgid, plural, n) for n in (1, 2)]
            if got != msgstr:
                stale.append((msgid, msgstr, got))
    assert stale == [], (
        "django.mo is older than django.po: run manage.py compilemessages --ignore=.venv "
        f"({len(stale)} differ, first: {stale[:3]})"
    )


# --- The pages --------------------------------------------------------------------------


@pytest.fixture
def project(tree):
    """A county_a project with a target, a downward split, a milestone and a
    ledger entry, so the project page shows every section. Its own texts are
    ASCII: any Chinese left on the English page is then ours."""
    project = f.ProjectFactory(
        number="A-001",
        name="Risk prevention in county A",
        lead_unit=tree["county_a"],
        tier=f.TierFactory(name="Tier"),
        program=f.ProgramFactory(name="Program"),
    )
    target = f.TargetFactory(project=project, description="Integrity talks", measure_unit="x")
    split = f.DownwardAssignmentFactory(
        project=project, assignee_unit=tree["township_a"], content="Talks", responsible_person="Li"
    )
    f.AssignmentShareFactory(assignment=split, target=target, share_percent=40)
    f.MilestoneFactory(project=project, name="Mid-year review")
    f.LedgerEntryFactory(project=project, status=LedgerStatus.SUBMITTED, content="First talks")
    return project


def _get(client, url, language=None):
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response, response.content.decode()


def _headings(html: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", h).strip()
        for h in re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", html, re.S)
    ]


def _chrome(html: str) -> str:
    """The page's header (brand, bell, navigation, user menu, language switch),
    breadcrumbs and footer as text, without the two Chinese glyphs that are meant
    to stay: the decorative brand mark and the Chinese language button's own name."""
    parts = re.findall(r"<header.*?</header>|<nav .*?</nav>|<footer.*?</footer>", html, re.S)
    text = " ".join(parts)
    text = re.sub(r'<span class="app-brand-mark" aria-hidden="true">.</span>', "", text)
    text = re.sub(r'<button [^>]*lang="zh-hans">简体中文</button>', "", text)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))


def test_home_in_english(client, editor_a, project):
    client.force_login(editor_a)
    response, html = _get(client, reverse("home"), "en")
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in html
    headings = _headings(html)
    assert "Workbench" in headings
    assert "My projects" in headings and "My task splits" in headings
    assert not [h for h in headings if CJK.search(h)], headings
    chrome = _chrome(html)
    assert "Project registry" in chrome and "Sign out" in chrome and "Administration" in chrome
    assert not CJK.search(chrome), CJK.findall(chrome)


def test_project_list_in_english(client, editor_a, project):
    client.force_login(editor_a)
    response, html = _get(client, reverse("projects:list"), "en")
    assert response["Content-Language"] == "en"
    assert "Project registry" in _headings(html)
    assert "1 project<" in html
    assert "Filter" in html and "Project number" in html and "Lead unit" in html
    assert "Implement" in html  # the stage badge
    assert not CJK.search(_chrome(html))


def test_project_page_in_english(client, editor_a, project):
    client.force_login(editor_a)
    response, html = _get(client, reverse("projects:detail", args=[project.code]), "en")
    assert response["Content-Language"] == "en"
    headings = _headings(html)
    for expected in (
        "Basic information",
        "Quantified target",
        "Task splits (three-way split)",
        "Project ledger",
        "Change history",
    ):
        assert expected in headings, (expected, headings)
    assert not [h for h in headings if CJK.search(h)], headings
    assert "Awaiting verification" in html and "Downward split (subordinate units)" in html
    chrome = _chrome(html)
    assert "Workbench" in chrome and "Project registry" in chrome  # the breadcrumbs
    assert not CJK.search(chrome), CJK.findall(chrome)


@pytest.mark.parametrize("language", [None, "zh-hans"])
def test_chinese_without_a_choice_or_by_choice(client, editor_a, project, language):
    client.force_login(editor_a)
    response, html = _get(client, reverse("home"), language)
    assert response["Content-Language"] == "zh-hans"
    assert "工作台" in _headings(html) and "我的项目" in _headings(html)
    assert "项目库" in _chrome(html) and "Project registry" not in html
    _response, html = _get(client, reverse("projects:detail", args=[project.code]))
    assert "基本信息" in _headings(html) and "Basic information" not in html
