"""Responsibility letters: yearly generation from the template (idempotent,
one letter per unit and year by constraint), the cascade to sections and
subordinate units, issuing and signing with the scanned copy, completeness
figures, and the pages per role."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse

from accountability import selectors, services
from accountability.choices import LetterLevel, LetterStatus
from accountability.models import LetterClause, ResponsibilityLetter
from accountability.services.letters import LETTER_INDICATOR_RULE
from assessments.choices import RuleKind
from pingxiang_cf.models import AuditLog, Job, JobStatus, Transition
from tests import factories as f
from tests.pdfcheck import assert_cjk_font_embedded, pdf_page_count, pdf_text
from tests.querycount import assert_constant_queries

YEAR = f.YEAR
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def lead_setup(tree):
    """Two lead units of YEAR with projects and targets; county_a has a
    township below it and two sections; a project of another year."""
    county_a, department = tree["county_a"], tree["department"]
    f.SectionFactory(unit=county_a, name="办公室")
    f.SectionFactory(unit=county_a, name="惩防办")
    head = f.OfficialFactory(unit=county_a, name="甲县书记", post="县委书记")
    p1 = f.ProjectFactory(lead_unit=county_a, number="XM-A1")
    f.TargetFactory(project=p1, description="开展廉政教育", target_value=12)
    f.TargetFactory(project=p1, description="排查风险点", target_value=40)
    p2 = f.ProjectFactory(lead_unit=department, number="XM-D1")
    f.TargetFactory(project=p2)
    f.ProjectFactory(lead_unit=tree["county_b"], year=YEAR - 1)
    scheme = f.AssessmentSchemeFactory(year=YEAR)
    indicator = f.IndicatorFactory(
        scheme=scheme, code="A2", rule_kind=RuleKind.AUTO, rule_code=LETTER_INDICATOR_RULE
    )
    secretary = f.OfficialFactory(unit=tree["commission_office"], name="书记甲", post="市纪委书记")
    return {"head": head, "indicator": indicator, "secretary": secretary, "p1": p1}


def _city_letter(commission, unit):
    return ResponsibilityLetter.objects.get(
        year=YEAR, level=LetterLevel.CITY_TO_LEAD, recipient_unit=unit
    )


# --- Generation -------------------------------------------------------------------------


def test_generation_makes_one_letter_per_lead_unit_with_its_targets(tree, commission, lead_setup):
    calls = []
    result = services.letters_generate_year(
        year=YEAR,
        actor=commission,
        issuer_signatory=lead_setup["secretary"],
        progress=lambda done, total: calls.append((done, total)),
    )
    assert len(result.created) == 2 and result.skipped == 0
    assert calls == [(1, 2), (2, 2)]
    letter = _city_letter(commission, tree["county_a"])
    assert letter.issuer_unit == tree["city"]
    assert letter.issuer_signatory == lead_setup["secretary"]
    assert letter.recipient_signatory == lead_setup["head"]
    assert letter.status == LetterStatus.DRAFT
    clauses = list(letter.clauses.order_by("number"))
    # duty, two target clauses, ledger duty, assessment, accountability
    assert [c.number for c in clauses] == [1, 2, 3, 4, 5, 6]
    assert [c.target.description for c in clauses if c.target] == ["开展廉政教育", "排查风险点"]
    assert "实现量化目标:开展廉政教育12场" in clauses[1].text
    assert [c.indicator for c in clauses if c.indicator] == [lead_setup["indicator"]]
    # audited: one create row per letter and clause
    assert AuditLog.objects.filter(object_repr=letter.title).count() == 1


def test_generation_twice_produces_each_letter_once(tree, commission, lead_setup):
    services.letters_generate_year(year=YEAR, actor=commission)
    clauses = LetterClause.objects.count()
    again = services.letters_generate_year(year=YEAR, actor=commission)
    assert again.created == [] and again.skipped == 2
    assert ResponsibilityLetter.objects.count() == 2
    assert LetterClause.objects.count() == clauses


def test_the_database_refuses_a_second_letter_for_a_unit_and_year(tree, commission, lead_setup):
    services.letters_generate_year(year=YEAR, actor=commission)
    with pytest.raises(IntegrityError), transaction.atomic():
        ResponsibilityLetter.objects.create(
            year=YEAR,
            level=LetterLevel.CITY_TO_LEAD,
            title="重复",
            issuer_unit=tree["city"],
            recipient_unit=tree["county_a"],
        )


def test_only_the_commission_generates_letters(tree, editor_a, leader, lead_setup):
    for user in (editor_a, leader):
        with pytest.raises(PermissionDenied):
            services.letters_generate_year(year=YEAR, actor=user)
    assert not ResponsibilityLetter.objects.exists()


def test_a_year_without_projects_is_refused(commission, lead_setup):
    with pytest.raises(ValidationError) as exc:
        services.letters_generate_year(year=2001, actor=commission)
    assert "2001年度没有项目" in str(exc.value)


def test_generate_page_runs_the_job_and_attaches_the_printed_set(
    client, tree, commission, lead_setup, django_capture_on_commit_callbacks
):
    client.force_login(commission)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accountability:letter-generate"),
            {"year": YEAR, "issuer_signatory": lead_setup["secretary"].pk},
        )
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.code])
    assert ResponsibilityLetter.objects.filter(year=YEAR).count() == 2
    assert job.status == JobStatus.DONE and (job.done, job.total) == (3, 3)
    assert "新生成2份,已存在0份" in job.message
    pdf = job.file.read()
    text = pdf_text(pdf)
    assert f"{YEAR}年度惩防体系建设责任书" in text
    assert "甲县" in text and "市审计局" in text and "书记甲" in text
    assert pdf_page_count(pdf) >= 3  # the list, then one letter a page
    assert_cjk_font_embedded(pdf)
    # a second run (the job page's "run again") creates nothing new
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accountability:letter-generate"), {"year": YEAR})
    assert ResponsibilityLetter.objects.filter(year=YEAR).count() == 2
    assert "新生成0份,已存在2份" in Job.objects.order_by("-pk").first().message


def test_letter_pdf_reads_back_with_clauses_and_signatories(client, tree, commission, lead_setup):
    services.letters_generate_year(
        year=YEAR, actor=commission, issuer_signatory=lead_setup["secretary"]
    )
    letter = _city_letter(commission, tree["county_a"])
    client.force_login(commission)
    response = client.get(reverse("accountability:letter-pdf", args=[letter.code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "中共萍乡市委" in text
    assert "甲方" in text and "乙方" in text and "甲县" in text
    assert "书记甲" in text and "甲县书记" in text
    assert "开展廉政教育12场" in "".join(text.split())
    assert_cjk_font_embedded(response.content)


def test_generate_page_refuses_bad_year_and_saves_nothing(client, commission, lead_setup):
    client.force_login(commission)
    response = client.post(reverse("accountability:letter-generate"), {"year": "abc"})
    assert response.status_code == 200
    assert "年度须为整数" in response.content.decode()
    response = client.post(reverse("accountability:letter-generate"), {"year": 2003})
    assert "2003年度没有项目" in response.content.decode()
    assert not ResponsibilityLetter.objects.exists()


def test_editors_and_leaders_cannot_open_the_generate_page(client, editor_a, leader):
    for user in (editor_a, leader):
        client.force_login(user)
        assert client.get(reverse("accountability:letter-generate")).status_code == 403


# --- Cascade ----------------------------------------------------------------------------


@pytest.fixture
def issued_letter(tree, commission, lead_setup):
    services.letters_generate_year(year=YEAR, actor=commission)
    letter = _city_letter(commission, tree["county_a"])
    return services.letter_issue(letter, actor=commission)


def test_lead_unit_cascades_to_its_sections_and_subordinate_units(tree, editor_a, issued_letter):
    result = services.letter_cascade(issued_letter, actor=editor_a)
    assert len(result.created) == 3  # township_a + two sections
    children = ResponsibilityLetter.objects.filter(parent=issued_letter)
    assert set(children.values_list("level", flat=True)) == {
        LetterLevel.LEAD_TO_SUBORDINATE,
        LetterLevel.LEAD_TO_SECTION,
    }
    sub = children.get(level=LetterLevel.LEAD_TO_SUBORDINATE)
    assert sub.issuer_unit == tree["county_a"] and sub.recipient_unit == tree["township_a"]
    assert sub.issuer_signatory.name == "甲县书记"
    sections = children.filter(level=LetterLevel.LEAD_TO_SECTION)
    assert set(sections.values_list("recipient_section__name", flat=True)) == {"办公室", "惩防办"}
    assert all(c.clauses.count() == 3 for c in children)
    # again: nothing new
    again = services.letter_cascade(issued_letter, actor=editor_a)
    assert again.created == [] and again.skipped == 3


def test_cascade_needs_an_issued_letter_and_the_lead_unit(tree, commission, editor_b, lead_setup):
    services.letters_generate_year(year=YEAR, actor=commission)
    draft = _city_letter(commission, tree["county_a"])
    with pytest.raises(ValidationError, match="尚未下发"):
        services.letter_cascade(draft, actor=commission)
    services.letter_issue(draft, actor=commission)
    with pytest.raises(PermissionDenied):
        services.letter_cascade(draft, actor=editor_b)


def test_cascade_button_on_the_page(client, tree, editor_a, issued_letter):
    client.force_login(editor_a)
    url = reverse("accountability:letter-cascade", args=[issued_letter.code])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    assert ResponsibilityLetter.objects.filter(parent=issued_letter).count() == 3


# --- Issuing and signing ------------------------------------------------------------------


def test_issue_and_sign_append_transitions_and_store_the_scan(tree, commission, issued_letter):
    scan = SimpleUploadedFile("签字页.pdf", PDF_BYTES, content_type="application/pdf")
    signed = services.letter_sign(
        issued_letter, actor=commission, signed_on=datetime.date(YEAR, 3, 1), scanned_copy=scan
    )
    assert signed.status == LetterStatus.SIGNED
    assert signed.signed_on == datetime.date(YEAR, 3, 1)
    assert signed.scanned_name == "签字页.pdf"
    assert signed.scanned_copy.name.endswith(".pdf") and "签字页" not in signed.scanned_copy.name
    states = list(
        Transition.objects.filter(object_id=str(signed.pk)).values_list("from_state", "to_state")
    )
    assert states == [("draft", "issued"), ("issued", "signed")]


def test_a_scan_that_is_not_a_pdf_or_image_is_refused(tree, commission, issued_letter):
    fake = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.letter_sign(
            issued_letter, actor=commission, signed_on=datetime.date(YEAR, 3, 1), scanned_copy=fake
        )
    assert "只接受PDF、PNG或JPEG" in str(exc.value)
    issued_letter.refresh_from_db()
    assert issued_letter.status == LetterStatus.ISSUED and not issued_letter.scanned_copy


def test_sign_needs_an_issued_letter_and_a_past_date(tree, commission, lead_setup):
    services.letters_generate_year(year=YEAR, actor=commission)
    letter = _city_letter(commission, tree["county_a"])
    with pytest.raises(ValidationError, match="只有已下发"):
        services.letter_sign(letter, actor=commission, signed_on=datetime.date(YEAR, 3, 1))
    services.letter_issue(letter, actor=commission)
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.letter_sign(letter, actor=commission, signed_on=tomorrow)


def test_sign_page_refuses_bad_input_and_accepts_a_scan(client, tree, commission, issued_letter):
    client.force_login(commission)
    url = reverse("accountability:letter-sign", args=[issued_letter.code])
    response = client.post(url, {"signed_on": "not a date"})
    assert "请输入有效的日期" in response.content.decode()
    bad = io.BytesIO(b"plain text")
    bad.name = "scan.png"
    response = client.post(url, {"signed_on": f"{YEAR}-03-02", "scanned_copy": bad})
    assert "只接受PDF、PNG或JPEG" in response.content.decode()
    issued_letter.refresh_from_db()
    assert issued_letter.status == LetterStatus.ISSUED
    good = io.BytesIO(PDF_BYTES)
    good.name = "scan.pdf"
    response = client.post(url, {"signed_on": f"{YEAR}-03-02", "scanned_copy": good})
    assert response.status_code == 302
    issued_letter.refresh_from_db()
    assert issued_letter.status == LetterStatus.SIGNED
    download = client.get(reverse("accountability:letter-scan", args=[issued_letter.code]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES


def test_scan_and_letter_are_404_outside_scope_and_sign_is_403_for_readers(
    client, tree, commission, editor_a, editor_b, leader, issued_letter
):
    detail = reverse("accountability:letter-detail", args=[issued_letter.code])
    sign = reverse("accountability:letter-sign", args=[issued_letter.code])
    client.force_login(editor_b)
    assert client.get(detail).status_code == 404
    assert (
        client.get(reverse("accountability:letter-scan", args=[issued_letter.code])).status_code
        == 404
    )
    client.force_login(leader)
    assert client.get(detail).status_code == 200
    assert client.get(sign).status_code == 403
    client.force_login(editor_a)  # recipient sees it, but the city signs its own letters
    assert client.get(detail).status_code == 200
    assert client.get(sign).status_code == 403


# --- Completeness -----------------------------------------------------------------------------


def test_completeness_counts_by_county_and_department(tree, commission, county_leader):
    city, county_a, department = tree["city"], tree["county_a"], tree["department"]
    section = f.SectionFactory(unit=county_a, name="办公室")
    f.ResponsibilityLetterFactory(
        recipient_unit=county_a, status="signed", signed_on=datetime.date(YEAR, 3, 1)
    )
    f.ResponsibilityLetterFactory(recipient_unit=department, status="issued")
    f.ResponsibilityLetterFactory(
        issuer_unit=county_a,
        recipient_unit=tree["township_a"],
        level=LetterLevel.LEAD_TO_SUBORDINATE,
    )
    f.ResponsibilityLetterFactory(
        issuer_unit=county_a,
        recipient_unit=county_a,
        recipient_section=section,
        level=LetterLevel.LEAD_TO_SECTION,
        status="signed",
        signed_on=datetime.date(YEAR, 3, 9),
    )
    f.ResponsibilityLetterFactory(recipient_unit=tree["county_b"], year=YEAR - 1)
    rows, total = selectors.letter_completeness(commission, YEAR)
    figures = {r.unit.name: (r.total, r.signed, r.issued, r.draft) for r in rows}
    assert figures == {"甲县": (3, 2, 0, 1), "市审计局": (1, 0, 1, 0)}
    assert (total.total, total.signed, total.unsigned) == (4, 2, 2)
    assert str(total.rate) == "50.00"
    # a county leader sees only their county
    rows, total = selectors.letter_completeness(county_leader, YEAR)
    assert [(r.unit.name, r.total) for r in rows] == [("甲县", 3)]
    assert city  # the city itself holds no row


def test_completeness_page_shows_the_figures(client, tree, commission):
    f.ResponsibilityLetterFactory(recipient_unit=tree["county_a"])
    client.force_login(commission)
    response = client.get(reverse("accountability:letter-completeness"), {"year": YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    assert "甲县" in html and "0.00%" in html


# --- The list --------------------------------------------------------------------------------


def test_letter_list_filters_search_and_exports(client, tree, commission):
    f.ResponsibilityLetterFactory(recipient_unit=tree["county_a"], title="=HYPERLINK(1)")
    f.ResponsibilityLetterFactory(
        recipient_unit=tree["county_b"], title="乙县责任书", status="issued"
    )
    client.force_login(commission)
    url = reverse("accountability:letters")
    assert "共 2 份" in client.get(url).content.decode()
    assert "共 1 份" in client.get(url, {"q": "乙县"}).content.decode()
    assert "共 1 份" in client.get(url, {"status": "issued"}).content.decode()
    assert "共 1 份" in client.get(url, {"county": tree["county_a"].pk}).content.decode()
    response = client.get(url, {"export": "csv", "o": "title"})
    body = b"".join(response.streaming_content).decode("utf-8")
    assert response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK(1)" in body and "乙县责任书" in body


def test_letter_list_query_count_is_constant(client, tree, commission):
    client.force_login(commission)
    url = reverse("accountability:letters")

    def grow():
        for _ in range(15):
            f.ResponsibilityLetterFactory(recipient_unit=f.UnitFactory(parent=tree["county_a"]))

    f.ResponsibilityLetterFactory(recipient_unit=tree["county_a"])
    assert_constant_queries(lambda: client.get(url), grow, limit=12)


def test_a_missed_target_leads_back_to_the_signed_clause(tree, commission, lead_setup):
    services.letters_generate_year(year=YEAR, actor=commission)
    letter = _city_letter(commission, tree["county_a"])
    target = lead_setup["p1"].targets.get(description="开展廉政教育")
    assert list(selectors.signed_clauses_for(target=target)) == []  # not signed yet
    services.letter_issue(letter, actor=commission)
    services.letter_sign(letter, actor=commission, signed_on=datetime.date(YEAR, 3, 1))
    clauses = list(selectors.signed_clauses_for(target=target))
    assert [(c.letter, c.number) for c in clauses] == [(letter, 2)]
    by_indicator = selectors.signed_clauses_for(
        indicator=lead_setup["indicator"], unit=tree["county_a"]
    )
    assert [c.letter for c in by_indicator] == [letter]


def test_completeness_page_query_count_is_constant(client, tree, commission):
    client.force_login(commission)
    url = reverse("accountability:letter-completeness")
    f.ResponsibilityLetterFactory(recipient_unit=tree["county_a"])

    def grow():
        for _ in range(10):
            f.ResponsibilityLetterFactory(recipient_unit=f.UnitFactory(parent=tree["county_b"]))

    assert_constant_queries(lambda: client.get(url, {"year": YEAR}), grow, limit=8)


def test_the_commission_secretary_signs_for_the_committee_by_default(tree, commission, lead_setup):
    """The head of the commission's own unit is party A's signatory when
    none is chosen (the generate page preselects them too)."""
    secretary = lead_setup["secretary"]
    services.letters_generate_year(year=YEAR, actor=commission)
    assert set(ResponsibilityLetter.objects.values_list("issuer_signatory", flat=True)) == {
        secretary.pk
    }
