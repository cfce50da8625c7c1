"""The assessment pages: permissions per role, bad input, query counts, the
score sheets read back."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments import services
from assessments.models import Score, ScoreSheet, UnitAssessment
from pingxiang_cf.models import Job
from tests import factories as f
from tests.assessments.conftest import AS_OF, assessment_of, indicator, score_all_manual
from tests.pdfcheck import assert_cjk_font_embedded, pdf_page_count, pdf_text
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(opened, commission):
    score_all_manual(opened, commission)
    services.assessment_compute(scheme=opened, actor=commission, as_of=AS_OF)
    return opened


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("commission", 200),
        ("auditor", 200),
        ("leader", 200),
        ("county_leader", 200),
        ("editor_a", 200),
        ("editor_b", 404),
        ("co_editor_b", 404),
        ("outsider", 404),
    ],
)
def test_assessment_page_per_role(request, client, scored, tree, persona, status):
    a = assessment_of(scored, tree["county_a"])
    response = _get(
        client, request.getfixturevalue(persona), reverse("assessments:detail", args=[a.pk])
    )
    assert response.status_code == status
    if status == 200:
        assert "指标得分与扣分台账" in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client, scored, tree):
    a = assessment_of(scored, tree["county_a"])
    response = client.get(reverse("assessments:detail", args=[a.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "status"), [("editor_a", 403), ("leader", 403), ("auditor", 403), ("editor_b", 404)]
)
def test_only_the_commission_opens_the_score_page(request, client, scored, tree, persona, status):
    a = assessment_of(scored, tree["county_a"])
    url = reverse("assessments:score", args=[a.pk, indicator(scored, "M1").pk])
    assert _get(client, request.getfixturevalue(persona), url).status_code == status


def test_score_page_refuses_bad_input_and_saves_nothing(client, scored, commission, tree):
    a = assessment_of(scored, tree["county_a"])
    m1 = indicator(scored, "M1")
    url = reverse("assessments:score", args=[a.pk, m1.pk])
    client.force_login(commission)
    response = client.post(url, {"points": "81"})
    assert response.status_code == 200
    assert "得分不能超过该指标分值(80.00分)。" in response.content.decode()
    response = client.post(url, {"points": "78", "line1_points": "2", "line1_evidence": "检查记录"})
    assert "第1项:每项扣分须填写扣分理由。" in response.content.decode()
    assert a.scores.get(indicator=m1).points == Decimal("80.00")
    response = client.post(
        url,
        {
            "points": "78",
            "line1_points": "2",
            "line1_reason": "台账不全",
            "line1_evidence": "检查记录",
        },
    )
    assert response.status_code == 302
    assert a.scores.get(indicator=m1).points == Decimal("78.00")


def test_english_message_for_bad_input(client, scored, commission, tree):
    a = assessment_of(scored, tree["county_a"])
    client.force_login(commission)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("assessments:score", args=[a.pk, indicator(scored, "M1").pk]), {"points": "81"}
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("persona", "status"), [("editor_a", 200), ("leader", 403), ("editor_b", 404)]
)
def test_self_score_page_per_role(request, client, scored, tree, persona, status):
    a = assessment_of(scored, tree["county_a"])
    assert (
        _get(
            client, request.getfixturevalue(persona), reverse("assessments:self-score", args=[a.pk])
        ).status_code
        == status
    )


def test_unit_self_scores_through_the_page(client, scored, editor_a, tree):
    a = assessment_of(scored, tree["county_a"])
    m1 = indicator(scored, "M1")
    client.force_login(editor_a)
    response = client.post(
        reverse("assessments:self-score", args=[a.pk]),
        {f"self_{m1.pk}": "90", "comment": "自评"},
    )
    assert "自评分须在0到80.00分之间" in response.content.decode()
    response = client.post(
        reverse("assessments:self-score", args=[a.pk]), {f"self_{m1.pk}": "79", "comment": "自评"}
    )
    assert response.status_code == 302
    assert Score.objects.get(assessment=a, indicator=m1).self_points == Decimal("79.00")


def test_editor_cannot_add_indicators(client, scheme, editor_a):
    client.force_login(editor_a)
    url = reverse("assessments:scheme", args=[scheme.year])
    assert client.get(url).status_code == 200
    assert client.post(url, {"code": "X"}).status_code == 403


def test_scheme_editor_adds_an_indicator_and_shows_why_it_cannot_open(client, scheme, commission):
    client.force_login(commission)
    url = reverse("assessments:scheme", args=[scheme.year])
    response = client.post(
        url,
        {
            "code": "N1",
            "category": "创新",
            "name": "创新",
            "max_points": "5",
            "rule_kind": "manual",
            "sort_order": "9",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "适用于县区的指标分值合计为105.00分,须为100分。" in page
    response = client.post(reverse("assessments:scheme-open", args=[scheme.year]))
    assert not UnitAssessment.objects.exists()


def test_list_filters_sorts_and_keeps_its_query_count(client, scored, commission, tree):
    client.force_login(commission)
    url = reverse("assessments:list")
    response = client.get(url, {"group": "county", "o": "-total"})
    assert response.status_code == 200
    assert response.content.decode().count('href="/assessments/') >= 2

    def grow():
        for _n in range(5):
            unit = f.CountyFactory(parent=tree["city"])
            f.UnitAssessmentFactory(scheme=scored, unit=unit, group="county", total=Decimal("50"))

    assert_constant_queries(lambda: client.get(url, {"q": "县"}), grow, limit=12)
    assert "没有符合条件的考核记录" in client.get(url, {"q": "不存在的单位"}).content.decode()


def test_ranking_shows_ties(client, scored, leader):
    page = _get(client, leader, reverse("assessments:ranking", args=[scored.year])).content.decode()
    assert "并列" in page and "县区" in page


def test_score_sheet_pdf_reads_back(client, scored, commission, tree):
    a = assessment_of(scored, tree["county_a"])
    services.score_manual(
        assessment=a,
        indicator=indicator(scored, "M1"),
        points="77",
        actor=commission,
        lines=[{"points": "3", "reason": "专题研究部署不足", "evidence": "会议记录"}],
    )
    response = _get(client, commission, reverse("assessments:pdf", args=[a.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    text = pdf_text(pdf)
    for expected in ("甲县", "指标M1", "专题研究部署不足", "会议记录", "97.00", "考核组长"):
        assert expected in text.replace(" ", "")
    assert pdf_page_count(pdf) == 1
    assert_cjk_font_embedded(pdf)


def test_sheets_job_writes_every_pdf_and_the_workbook_once(
    client, scored, commission, leader, editor_a, tree, django_capture_on_commit_callbacks
):
    client.force_login(commission)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("assessments:scheme-sheets", args=[scored.year]))
    job = Job.objects.get()
    assert response.status_code == 302 and str(job.code) in response["Location"]
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("done", 6, 6)
    assert ScoreSheet.objects.filter(kind="pdf").count() == 5
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("assessments:scheme-sheets", args=[scored.year]))  # again: same rows
    assert ScoreSheet.objects.count() == 6
    summary = ScoreSheet.objects.get(assessment__isnull=True)
    workbook = load_workbook(BytesIO(summary.file.open("rb").read()))
    assert workbook.sheetnames == ["县区", "市直和省属单位", "乡镇(街道)"]
    sheet = workbook["县区"]
    assert sheet.freeze_panes == "C2"
    assert [c.value for c in sheet[1]][:6] == ["排名", "单位", "指标得分", "加分", "扣分", "总分"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert {r[1] for r in rows} == {"甲县", "乙县"}
    assert all(isinstance(r[5], (int, float)) and r[5] == 100 for r in rows)
    assert sheet["A1"].font.bold
    # Who may download: the summary to those who see every unit; a unit's sheet to its unit.
    url = reverse("assessments:sheet-download", args=[summary.pk])
    assert _get(client, leader, url).status_code == 200
    assert _get(client, editor_a, url).status_code == 404
    own = ScoreSheet.objects.get(assessment__unit=tree["county_a"])
    other = ScoreSheet.objects.get(assessment__unit=tree["county_b"])
    assert (
        _get(client, editor_a, reverse("assessments:sheet-download", args=[own.pk])).status_code
        == 200
    )
    assert (
        _get(client, editor_a, reverse("assessments:sheet-download", args=[other.pk])).status_code
        == 404
    )


def test_scheme_thresholds_are_edited_while_draft_and_refused_when_unordered(
    client, scheme, commission
):
    client.force_login(commission)
    url = reverse("assessments:scheme-edit", args=[scheme.year])
    data = {
        "title": "新名称",
        "document_number": "萍惩防字〔2024〕1号",
        "excellent_from": "92",
        "good_from": "82",
        "fair_from": "65",
        "bonus_cap": "4",
        "deduction_cap": "8",
    }
    assert client.post(url, data).status_code == 302
    scheme.refresh_from_db()
    assert (scheme.title, scheme.excellent_from, scheme.deduction_cap) == (
        "新名称",
        Decimal("92"),
        Decimal("8"),
    )
    response = client.post(url, {**data, "good_from": "95"}, follow=True)
    assert "等次分数线须满足:优秀 &gt; 良好 &gt; 一般 ≥ 0。" in response.content.decode()
    scheme.refresh_from_db()
    assert scheme.good_from == Decimal("82")
