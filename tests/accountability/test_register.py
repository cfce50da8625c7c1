"""The commendation and accountability register: the workflow with the
step where the subject states its case (陈述申辩), decision documents,
statistics by year and county, the lists; and officials' personal data."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accountability import selectors, services
from accountability.choices import (
    AccountabilityMeasure,
    OfficialRank,
    OutcomeSource,
    OutcomeStatus,
)
from accountability.models import AccountabilityCase, Commendation
from pingxiang_cf.models import AuditAction, AuditLog, Transition
from pingxiang_cf.services import audited_create
from tests import factories as f
from tests.querycount import assert_constant_queries

YEAR = f.YEAR
TODAY = datetime.date.today()
PDF_BYTES = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def case(tree, commission):
    return services.case_propose(
        actor=commission,
        year=YEAR,
        unit=tree["county_a"],
        reason="项目推进缓慢,督办后仍未整改",
        measure=AccountabilityMeasure.CRITICISM_NOTICE,
        source=OutcomeSource.LETTER,
    )


def test_case_goes_through_the_statement_step_before_a_decision(tree, commission, case):
    assert case.status == OutcomeStatus.PROPOSED and case.decided_on is None
    with pytest.raises(ValidationError, match="须先告知陈述申辩"):
        services.case_decide(
            case, actor=commission, document_number="萍纪〔2024〕1号", decided_on=TODAY
        )
    services.case_request_statement(
        case, actor=commission, deadline=TODAY + datetime.timedelta(days=7)
    )
    with pytest.raises(ValidationError, match="陈述申辩期限未满"):
        services.case_decide(
            case, actor=commission, document_number="萍纪〔2024〕1号", decided_on=TODAY
        )
    services.case_statement_record(
        case, actor=commission, statement="情况属实,已整改。", statement_on=TODAY
    )
    decision = SimpleUploadedFile("决定.pdf", PDF_BYTES)
    case = services.case_decide(
        case,
        actor=commission,
        document_number="萍纪〔2024〕1号",
        decided_on=TODAY,
        measure=AccountabilityMeasure.ADMONITION,
        decision_file=decision,
    )
    assert case.status == OutcomeStatus.DECIDED
    assert case.measure == AccountabilityMeasure.ADMONITION
    assert case.decision_file_name == "决定.pdf"
    states = list(
        Transition.objects.filter(object_id=str(case.pk)).values_list("from_state", "to_state")
    )
    assert states == [("proposed", "statement"), ("statement", "decided")]


def test_decision_needs_a_number_a_past_date_and_a_real_document(tree, commission, case):
    services.case_request_statement(case, actor=commission, deadline=TODAY)
    services.case_statement_record(case, actor=commission, statement="无异议", statement_on=TODAY)
    with pytest.raises(ValidationError, match="请填写决定文号"):
        services.case_decide(case, actor=commission, document_number=" ", decided_on=TODAY)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.case_decide(
            case,
            actor=commission,
            document_number="1号",
            decided_on=TODAY + datetime.timedelta(days=1),
        )
    fake = SimpleUploadedFile("决定.pdf", b"<html>not a pdf</html>")
    with pytest.raises(ValidationError, match="决定文件只接受"):
        services.case_decide(
            case, actor=commission, document_number="1号", decided_on=TODAY, decision_file=fake
        )
    case.refresh_from_db()
    assert case.status == OutcomeStatus.STATEMENT and not case.decision_file


def test_withdraw_needs_a_reason_and_only_before_a_decision(commission, case):
    with pytest.raises(ValidationError, match="须说明理由"):
        services.case_withdraw(case, actor=commission, reason="")
    case = services.case_withdraw(case, actor=commission, reason="经核实不属于责任追究情形")
    assert case.status == OutcomeStatus.WITHDRAWN
    with pytest.raises(ValidationError):
        services.case_withdraw(case, actor=commission, reason="再次")


def test_only_the_commission_keeps_the_register(tree, editor_a, leader, auditor):
    for user in (editor_a, leader, auditor):
        with pytest.raises(PermissionDenied):
            services.commendation_propose(
                actor=user, year=YEAR, title="先进单位", source="assessment", unit=tree["county_a"]
            )


def test_a_subject_is_a_unit_or_an_official_not_both(tree, commission):
    official = f.OfficialFactory(unit=tree["county_a"])
    with pytest.raises(ValidationError, match="须且只能填写其中一项"):
        services.commendation_propose(
            actor=commission,
            year=YEAR,
            title="先进",
            source="assessment",
            unit=tree["county_a"],
            official=official,
        )


def test_rows_recorded_as_decisions_by_other_apps_still_work(tree, commission):
    """The assessment's outcomes are created with audited_create and the
    source fields; they count as decided."""
    assessment = f.UnitAssessmentFactory(unit=tree["county_a"])
    row = audited_create(
        Commendation,
        actor=commission,
        year=YEAR,
        unit=tree["county_a"],
        source=OutcomeSource.ASSESSMENT,
        source_assessment=assessment,
        decided_on=datetime.date(YEAR, 12, 1),
        title="年度考核先进单位",
    )
    assert row.status == OutcomeStatus.DECIDED
    assert selectors.commendation_counts(commission) == {"units": 1, "leaders": 0}


def test_statistics_by_year_and_county_count_decided_rows(tree, commission, county_leader):
    county_a, county_b = tree["county_a"], tree["county_b"]
    leader_a = f.OfficialFactory(unit=tree["township_a"], rank=OfficialRank.COUNTY)
    clerk = f.OfficialFactory(unit=county_a, rank=OfficialRank.SECTION)
    f.CommendationFactory(unit=county_a, year=2010)
    f.CommendationFactory(unit=county_b, year=2011)
    f.CommendationFactory(unit=None, official=leader_a, year=2011)
    f.CommendationFactory(unit=None, official=clerk, year=2011)  # not a leader: not counted
    f.AccountabilityCaseFactory(unit=county_b, year=2011)
    f.AccountabilityCaseFactory(unit=None, official=leader_a, year=2010)
    f.AccountabilityCaseFactory(unit=county_a, year=2011, status="proposed", decided_on=None)
    stats = selectors.register_statistics(commission)
    by_year = {
        r.key: (r.commended_units, r.commended_leaders, r.accountable_units, r.accountable_leaders)
        for r in stats["by_year"]
    }
    assert by_year == {2010: (1, 0, 0, 1), 2011: (1, 1, 1, 0)}
    by_unit = {
        r.label: (
            r.commended_units,
            r.commended_leaders,
            r.accountable_units,
            r.accountable_leaders,
        )
        for r in stats["by_unit"]
    }
    assert by_unit == {"甲县": (1, 1, 0, 1), "乙县": (1, 0, 1, 0)}
    total = stats["total"]
    assert (total.commended_units, total.commended_leaders) == (2, 1)
    assert (total.accountable_units, total.accountable_leaders) == (1, 1)
    mine = selectors.register_statistics(county_leader)
    assert [r.label for r in mine["by_unit"]] == ["甲县"]


def test_case_pages_walk_the_workflow(client, tree, commission, editor_a, case):
    client.force_login(commission)
    detail = reverse("accountability:case-detail", args=[case.pk])
    step = lambda name: reverse("accountability:case-step", args=[case.pk, name])  # noqa: E731
    response = client.post(step("statement-request"), {"deadline": "2001-01-01"})
    assert "不能早于今天" in response.content.decode()
    assert (
        client.post(step("statement-request"), {"deadline": TODAY.isoformat()}).status_code == 302
    )
    response = client.post(step("statement"), {"statement": "", "statement_on": TODAY.isoformat()})
    assert "此项为必填项" in response.content.decode()
    client.post(step("statement"), {"statement": "请求从轻处理", "statement_on": TODAY.isoformat()})
    with open_pdf() as upload:
        response = client.post(
            step("decide"),
            {
                "document_number": "萍纪〔2024〕9号",
                "decided_on": TODAY.isoformat(),
                "measure": "admonition",
                "decision_file": upload,
            },
        )
    assert response.status_code == 302
    html = client.get(detail).content.decode()
    assert "请求从轻处理" in html and "萍纪〔2024〕9号" in html and "已决定" in html
    file_url = reverse("accountability:case-file", args=[case.pk])
    assert client.get(file_url).status_code == 200
    client.force_login(editor_a)  # the unit sees its own case, cannot act
    assert client.get(detail).status_code == 200
    assert client.get(step("withdraw")).status_code == 403


def open_pdf():
    import io

    handle = io.BytesIO(PDF_BYTES)
    handle.name = "决定.pdf"

    class _Ctx:
        def __enter__(self):
            return handle

        def __exit__(self, *exc):
            return False

    return _Ctx()


def test_outcome_lists_filter_and_export(client, tree, commission):
    official = f.OfficialFactory(unit=tree["county_a"], name="张三")
    f.CommendationFactory(unit=tree["county_a"], title="@先进单位")
    f.CommendationFactory(unit=None, official=official, title="先进个人")
    client.force_login(commission)
    url = reverse("accountability:commendations")
    assert "共 2 条" in client.get(url).content.decode()
    assert "共 1 条" in client.get(url, {"subject": "official"}).content.decode()
    assert "共 1 条" in client.get(url, {"q": "张三"}).content.decode()
    csv = b"".join(client.get(url, {"export": "csv"}).streaming_content).decode()
    assert "'@先进单位" in csv and "张三(甲县)" in csv


def test_case_list_query_count_is_constant(client, tree, commission):
    client.force_login(commission)
    url = reverse("accountability:cases")

    def grow():
        for _ in range(10):
            f.AccountabilityCaseFactory(
                unit=None, official=f.OfficialFactory(unit=tree["county_b"])
            )

    f.AccountabilityCaseFactory(unit=tree["county_a"])
    assert_constant_queries(lambda: client.get(url), grow, limit=10)


def test_register_page_shows_the_statistics(client, tree, leader):
    f.CommendationFactory(unit=tree["county_a"], year=2010)
    client.force_login(leader)
    html = client.get(reverse("accountability:register")).content.decode()
    assert 'id="register-by-year"' in html and "甲县" in html


# --- Personal data -----------------------------------------------------------------------------


@pytest.fixture
def officials(tree):
    return {
        "a": f.OfficialFactory(unit=tree["county_a"], name="甲干部", phone="13907990001"),
        "town": f.OfficialFactory(unit=tree["township_a"], name="镇干部", phone="13907990002"),
        "b": f.OfficialFactory(unit=tree["county_b"], name="乙干部", phone="13907990003"),
    }


def _phones(client, **params):
    response = client.get(reverse("accountability:officials"), params)
    page = response.context["page"]
    return {o.name: o.phone_shown for o in page.object_list}


def test_personal_details_only_for_the_commission_and_the_own_unit(
    client, commission, editor_a, county_leader, leader, auditor, officials
):
    client.force_login(commission)
    assert _phones(client)["乙干部"] == "13907990003"
    client.force_login(editor_a)  # own unit in full, the township below masked
    phones = _phones(client)
    assert phones == {"甲干部": "13907990001", "镇干部": "139****0002"}
    client.force_login(county_leader)
    assert _phones(client)["甲干部"] == "13907990001"
    for user in (leader, auditor):  # see everyone, never the full number
        client.force_login(user)
        assert set(_phones(client).values()) == {"139****0001", "139****0002", "139****0003"}
    views = AuditLog.objects.filter(action=AuditAction.VIEW_PERSONAL).order_by("pk")
    # one row per page that showed numbers in full, naming whose; none for leader and auditor
    assert [(r.actor_name, sorted(r.after["officials"])) for r in views] == [
        ("commission", sorted(o.pk for o in officials.values())),
        ("editor_a", [officials["a"].pk]),
        ("county_leader", [officials["a"].pk]),
    ]


def test_every_export_of_personal_details_is_audited(client, commission, leader, officials):
    client.force_login(leader)
    response = client.get(reverse("accountability:officials"), {"export": "csv"})
    body = b"".join(response.streaming_content).decode()
    assert "139****0001" in body and "13907990001" not in body
    client.force_login(commission)
    body = b"".join(
        client.get(
            reverse("accountability:officials"), {"export": "csv", "q": "甲干部"}
        ).streaming_content
    ).decode()
    assert "13907990001" in body
    rows = AuditLog.objects.filter(object_id="export").order_by("pk")
    assert [(r.actor_name, r.after["rows"], r.after["unmasked"]) for r in rows] == [
        ("leader", 3, 0),
        ("commission", 1, 1),
    ]
    assert "export=csv" in rows[1].after["query"]


def test_official_list_query_count_is_constant(client, tree, commission, officials):
    client.force_login(commission)
    url = reverse("accountability:officials")

    def grow():
        for _ in range(10):
            f.OfficialFactory(unit=f.UnitFactory(parent=tree["county_b"]))

    # 10 for the page, 4 for its audit row (personal data shown unmasked)
    assert_constant_queries(lambda: client.get(url), grow, limit=14)


def test_case_factory_rows_are_decided():
    assert AccountabilityCase._meta.get_field("status").default == OutcomeStatus.DECIDED


def test_admin_masks_phones_outside_the_own_unit(client, tree, editor_a, officials):
    editor_a.is_staff = True
    editor_a.save(update_fields=["is_staff"])
    client.force_login(editor_a)
    html = client.get(reverse("admin:accountability_official_changelist")).content.decode()
    assert "139****0001" in html and "139****0002" in html  # masked in the list
    assert "13907990001" not in html and "13907990002" not in html
    own = client.get(
        reverse("admin:accountability_official_change", args=[officials["a"].pk])
    ).content.decode()
    assert "13907990001" in own  # own unit, on the change page (audited)
    town = client.get(
        reverse("admin:accountability_official_change", args=[officials["town"].pk])
    ).content.decode()
    assert "13907990002" not in town


def test_the_unit_states_its_own_case_before_the_deadline(
    client, tree, commission, editor_a, editor_b, case
):
    services.case_request_statement(case, actor=commission, deadline=TODAY)
    with pytest.raises(PermissionDenied):
        services.case_statement_record(case, actor=editor_b, statement="x", statement_on=TODAY)
    client.force_login(editor_a)
    url = reverse("accountability:case-step", args=[case.pk, "statement"])
    assert (
        "提交陈述申辩意见"
        in client.get(reverse("accountability:case-detail", args=[case.pk])).content.decode()
    )
    response = client.post(
        url, {"statement": "已于当月完成整改", "statement_on": TODAY.isoformat()}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.statement == "已于当月完成整改"
    assert AuditLog.objects.filter(object_id=str(case.pk), actor_name="editor_a").exists()
    assert (
        client.get(reverse("accountability:case-step", args=[case.pk, "decide"])).status_code == 403
    )
