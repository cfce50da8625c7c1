"""Security audit (GB/T 22239-2019 8.1.4.3): sign-ins, sign-outs, refusals,
writes, exports and views of personal data, each with time, user, unit, IP,
action, object and outcome; searchable and exportable by the audit
administrator only."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from pingxiang_cf import audit
from pingxiang_cf.models import AuditAction, AuditLog, AuditOutcome
from tests import factories as f
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

PASSWORD = "Correct-Horse-42"


def test_a_sign_in_records_time_user_unit_ip_action_object_outcome(client, editor_a):
    editor_a.set_password(PASSWORD)
    editor_a.save()
    client.post(
        reverse("login"),
        {"username": "editor_a", "password": PASSWORD},
        REMOTE_ADDR="10.20.30.40",
    )
    row = AuditLog.objects.get(action=AuditAction.LOGIN)
    assert row.created_at is not None
    assert (row.actor, row.actor_name, row.unit) == (editor_a, "editor_a", "甲县")
    assert row.ip == "10.20.30.40"
    assert row.outcome == AuditOutcome.SUCCESS
    assert row.object_id == str(editor_a.pk)


def test_the_proxys_client_address_is_used_when_trusted(client, editor_a, settings):
    settings.AUDIT_TRUST_X_FORWARDED_FOR = True
    client.force_login(editor_a)
    client.get("/security/lockouts/", HTTP_X_FORWARDED_FOR="1.1.1.1, 10.9.8.7")
    row = AuditLog.objects.get(action=AuditAction.DENIED)
    assert row.ip == "10.9.8.7"


def test_a_refused_request_is_recorded(client, leader):
    client.force_login(leader)
    assert client.get(reverse("security:audit")).status_code == 403
    row = AuditLog.objects.get(action=AuditAction.DENIED)
    assert row.actor == leader and row.outcome == AuditOutcome.DENIED
    assert row.object_repr == "GET /security/audit/"
    assert row.ip == "127.0.0.1"


def test_a_write_carries_the_request_ip(client, commission, tree):
    from accountability.services import unit_update
    from pingxiang_cf.audit import current_ip

    token = current_ip.set("192.168.5.6")
    try:
        unit_update(tree["county_b"], actor=commission, name="乙县(新)")
    finally:
        current_ip.reset(token)
    row = AuditLog.objects.filter(action=AuditAction.UPDATE).latest("seq")
    assert row.ip == "192.168.5.6" and row.unit == "市纪委"


def test_exports_and_imports_have_simple_recorders(commission):
    export = audit.record_export(actor=commission, what="项目清单", rows=12, fmt="xlsx")
    assert (export.action, export.object_repr, export.after) == (
        AuditAction.EXPORT,
        "项目清单",
        {"rows": 12, "format": "xlsx"},
    )
    failed = audit.record_import(
        actor=commission,
        what="项目导入",
        rows=0,
        outcome=AuditOutcome.FAILURE,
        reason="第3行:年度无效",
    )
    assert failed.action == AuditAction.IMPORT and failed.outcome == AuditOutcome.FAILURE


# --- The audit administrator's page -----------------------------------------------------------


@pytest.fixture
def events(commission, editor_a):
    unit = f.UnitFactory(name="测试单位")
    audit.record_event(actor=commission, action=AuditAction.UPDATE, obj=unit, reason="调整")
    audit.record_event(
        actor=None,
        actor_name="mallory",
        action=AuditAction.LOGIN_FAILED,
        object_repr="mallory",
        outcome=AuditOutcome.FAILURE,
        reason='=HYPERLINK("http://evil")',
    )
    return unit


def test_the_audit_admin_searches_and_filters(client, audit_admin, events):
    client.force_login(audit_admin)
    page = client.get(reverse("security:audit"), {"q": "mallory"})
    assert [r.actor_name for r in page.context["page"].object_list] == ["mallory"]
    page = client.get(reverse("security:audit"), {"action": AuditAction.UPDATE})
    assert {r.action for r in page.context["page"].object_list} == {AuditAction.UPDATE}
    page = client.get(reverse("security:audit"), {"outcome": AuditOutcome.FAILURE})
    assert [r.actor_name for r in page.context["page"].object_list] == ["mallory"]


def test_the_csv_export_escapes_formulas_and_is_itself_audited(client, audit_admin, events):
    client.force_login(audit_admin)
    response = client.get(reverse("security:audit-export"), {"q": "mallory"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["序号", "时间", "操作人账号"]
    assert len(rows) == 2
    assert rows[1][rows[0].index("原因")] == '\'=HYPERLINK("http://evil")'
    export = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert export.actor == audit_admin and export.after == {"rows": 1, "format": "csv"}


def test_the_audit_page_query_count_does_not_grow_with_rows(client, audit_admin, commission):
    client.force_login(audit_admin)
    unit = f.UnitFactory()

    audit.record_event(actor=commission, action=AuditAction.UPDATE, obj=unit)

    def add_rows():
        for _ in range(30):
            audit.record_event(actor=commission, action=AuditAction.UPDATE, obj=unit)

    assert_constant_queries(lambda: client.get(reverse("security:audit")), add_rows, limit=12)


def test_viewing_an_officials_personal_data_is_recorded(client, commission, tree):
    official = f.OfficialFactory(unit=tree["county_a"], phone="13812345678")
    client.force_login(commission)
    response = client.get(reverse("admin:accountability_official_change", args=[official.pk]))
    assert response.status_code == 200
    row = AuditLog.objects.get(action=AuditAction.VIEW_PERSONAL)
    assert row.actor == commission and row.object_id == str(official.pk)
    assert row.after == {"fields": ["id_number", "phone"]}
