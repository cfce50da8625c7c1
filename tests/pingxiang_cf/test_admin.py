"""The admin: every model reachable in Chinese, scoped reads, audited writes,
read-only audit records, view-only roles and flat changelist query counts.

The generic tests walk `admin.site._registry`, so a newly registered model is
covered without a new test."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.admin.widgets import (
    AutocompleteSelect,
    AutocompleteSelectMultiple,
    ForeignKeyRawIdWidget,
    ManyToManyRawIdWidget,
    RelatedFieldWidgetWrapper,
)
from django.contrib.contenttypes.models import ContentType
from django.forms import MultiWidget
from django.test import RequestFactory
from django.urls import reverse

from accountability import choices as acc
from accountability import models as am
from assessments import choices as asc
from assessments import models as asm
from inspections import choices as insc
from inspections import models as im
from pingxiang_cf import audit, tokens
from pingxiang_cf.admin import ScopedModelAdmin
from pingxiang_cf.models import (
    ApiToken,
    AuditAction,
    AuditLog,
    Job,
    Notification,
    NotificationVerb,
    Transition,
)
from projects import choices as pc
from projects import models as pm
from tests import factories as f
from tests.querycount import assert_constant_queries

DOMAIN_APPS = {"pingxiang_cf", "accountability", "projects", "inspections", "assessments"}
DOMAIN_MODELS = sorted(
    (model for model in admin.site._registry if model._meta.app_label in DOMAIN_APPS),
    key=lambda model: model._meta.label,
)
RECORD_MODELS = (AuditLog, Transition, Notification, Job, ApiToken)


def model_id(model):
    return model._meta.label


def url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def client_for(client, user):
    client.force_login(user)
    return client


# --- A small world with one row of every model -----------------------------------------------


@pytest.fixture
def world(tree, commission):
    """One row of every domain model, hung on the persona tree, written with
    the ORM directly (the factories cover only part of the models)."""
    county_a, county_b, city = tree["county_a"], tree["county_b"], tree["city"]
    day = dt.date(2011, 3, 1)
    w = {"county_a": county_a, "county_b": county_b}
    fw = pm.Framework.objects.create(code="px1335", name="1335", main_line="项目化管理")
    w["tier"] = pm.Tier.objects.create(framework=fw, code="county", name="县区")
    w["program"] = pm.Program.objects.create(framework=fw, code="sunshine", name="廉政阳光工程")
    w["mechanism"] = pm.Mechanism.objects.create(
        framework=fw, code="self", name="自律机制", goal="不愿腐败"
    )
    w["mechanism2"] = pm.Mechanism.objects.create(
        framework=fw, code="punish", name="惩处机制", goal="不敢腐败"
    )
    pm.BrandModel.objects.create(unit=county_a, program=w["program"], name="梯链网")
    plan = pm.Plan.objects.create(
        framework=fw,
        title="实施细则",
        issuer="市委",
        issued_on=day,
        period_start=2011,
        period_end=2015,
    )
    task = pm.PlanTask.objects.create(
        plan=plan,
        number="1",
        content="建立风险岗位廉能管理",
        lead_unit=county_a,
        mechanism=w["mechanism"],
        deadline=day,
    )
    task.co_units.add(county_b)
    w["project"] = project = make_project(w, "2011-001")
    pm.ProjectCoUnit.objects.create(project=project, unit=county_b)
    w["section"] = section = am.Section.objects.create(unit=county_a, name="办公室")
    official = am.Official.objects.create(name="张三", unit=county_a, post="书记")
    target = pm.Target.objects.create(
        project=project,
        description="培训",
        measure_unit="次",
        target_value=Decimal("10"),
        due_date=day,
    )
    assignment = pm.Assignment.objects.create(
        project=project,
        kind=pc.SplitKind.INNER,
        assignee_unit=county_a,
        section=section,
        content="组织培训",
        deadline=day,
    )
    pm.AssignmentShare.objects.create(
        assignment=assignment, target=target, share_percent=Decimal("50")
    )
    pm.Milestone.objects.create(
        project=project,
        name="启动",
        stage=pc.ProjectStage.ESTABLISH,
        planned_date=day,
        planned_progress=10,
    )
    entry = make_ledger_entry(project, county_a)
    pm.LedgerQuantity.objects.create(entry=entry, target=target, quantity=Decimal("3"))
    pm.Evidence.objects.create(
        entry=entry,
        file="evidence/2011/x",
        original_name="会议记录.pdf",
        content_type="application/pdf",
        size=10,
    )
    group = am.LeadingGroup.objects.create(
        name="惩防体系领导小组", unit=county_a, established_on=day
    )
    am.LeadingGroupMember.objects.create(
        group=group, official=official, position=acc.GroupPosition.LEADER, start_on=day
    )
    letter = am.ResponsibilityLetter.objects.create(
        year=2011,
        level=acc.LetterLevel.CITY_TO_LEAD,
        title="党风廉政建设责任书",
        issuer_unit=city,
        recipient_unit=county_a,
    )
    am.LetterClause.objects.create(letter=letter, number=1, text="完成培训", target=target)
    post = am.RiskPost.objects.create(unit=county_a, year=2011, name="财务岗")
    power = am.RiskPower.objects.create(post=post, name="资金审批")
    point = am.RiskPoint.objects.create(
        power=power,
        description="违规审批",
        category=acc.RiskCategory.DUTY,
        likelihood=3,
        impact=4,
        level=acc.RiskLevel.MEDIUM,
    )
    am.RiskControl.objects.create(risk_point=point, measure="双人审批")
    cycle = im.SupervisionCycle.objects.create(
        kind=insc.CycleKind.QUARTERLY,
        period="2011-Q1",
        period_start=dt.date(2011, 1, 1),
        period_end=dt.date(2011, 3, 31),
    )
    notice = im.Notice.objects.create(
        cycle=cycle, kind=insc.NoticeKind.INSPECTION, number="萍惩防〔2011〕1号", title="督查通报"
    )
    im.NoticeUnit.objects.create(notice=notice, unit=county_a, reason="进展缓慢")
    inspection = im.Inspection.objects.create(
        kind=insc.InspectionKind.ROUTINE, title="一季度督查", started_on=day, ended_on=day
    )
    inspection.units.add(county_a)
    finding = im.Finding.objects.create(
        inspection=inspection,
        unit=county_a,
        description="台账不全",
        required_rectification="补齐台账",
        deadline=day,
    )
    im.Rectification.objects.create(finding=finding, description="已补齐", submitted_on=day)
    im.SupervisionLetter.objects.create(
        number="督办〔2011〕1号",
        title="督办函",
        unit=county_a,
        reason=insc.LetterReason.LAGGING_PROJECT,
        items="加快进度",
        reply_deadline=day,
    )
    meeting = im.JointMeeting.objects.create(title="联席会议", held_on=day, host_unit=city)
    meeting.units.add(county_a)
    scheme = asm.AssessmentScheme.objects.create(year=2011, title="2011年考核方案")
    indicator = asm.Indicator.objects.create(
        scheme=scheme,
        category="项目",
        code="A1",
        name="项目完成率",
        max_points=Decimal("10"),
        rule_kind=asc.RuleKind.MANUAL,
    )
    assessment = asm.UnitAssessment.objects.create(scheme=scheme, unit=county_a)
    asm.Score.objects.create(
        assessment=assessment,
        indicator=indicator,
        points=Decimal("10"),
        max_points=Decimal("10"),
    )
    asm.ScoreSheet.objects.create(
        scheme=scheme, assessment=assessment, kind=asc.SheetKind.PDF, file="score-sheets/x.pdf"
    )
    am.Commendation.objects.create(
        year=2011,
        unit=county_a,
        source=acc.OutcomeSource.ASSESSMENT,
        decided_on=day,
        title="先进单位",
    )
    am.AccountabilityCase.objects.create(
        year=2011,
        official=official,
        source=acc.OutcomeSource.FINDING,
        decided_on=day,
        reason="履职不力",
        measure=acc.AccountabilityMeasure.ADMONITION,
    )
    audit.record_transition(
        actor=commission, obj=finding, field="status", from_state="open", to_state="rectifying"
    )
    Notification.objects.create(
        recipient=commission,
        verb=NotificationVerb.RETURNED,
        message="台账被退回",
        day=day,
        content_type=ContentType.objects.get_for_model(finding),
        object_id=str(finding.pk),
    )
    Job.objects.create(kind="test.job", title="测试任务", created_by=commission)
    tokens.token_create(actor=commission, user=commission, name="接口")
    return w


def make_project(w, number, lead_unit=None):
    return pm.Project.objects.create(
        number=number,
        year=2011,
        name=f"项目{number}",
        category=pc.ProjectCategory.COMMON,
        tier=w["tier"],
        program=w["program"],
        lead_unit=lead_unit or w["county_a"],
        start_date=dt.date(2011, 1, 1),
        end_date=dt.date(2011, 12, 31),
    )


def make_ledger_entry(project, unit):
    return pm.LedgerEntry.objects.create(
        project=project,
        unit=unit,
        entry_date=dt.date(2011, 3, 1),
        content="召开动员会",
        progress_percent=30,
    )


def changeform_data(response) -> dict:
    """POST data that resubmits a rendered add/change page as it is: the main
    form and every inline formset with its management form."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for name, field in form.fields.items():
            put_value(data, form.add_prefix(name), field.widget, form[name].value())
    return data


def put_value(data, key, widget, value):
    if isinstance(widget, RelatedFieldWidgetWrapper):
        widget = widget.widget
    if isinstance(widget, MultiWidget):
        for i, part in enumerate(widget.decompress(value)):
            put_value(data, f"{key}_{i}", widget.widgets[i], part)
    elif value is True:
        data[key] = "on"
    elif value is not None and value is not False and not hasattr(value, "url"):
        data[key] = value


def audit_rows(obj):
    return list(audit.history(obj).order_by("pk"))


# --- Every model is there, in Chinese ---------------------------------------------------


def test_every_domain_model_is_registered():
    from django.apps import apps

    registered = set(admin.site._registry)
    missing = [
        model._meta.label
        for label in DOMAIN_APPS
        for model in apps.get_app_config(label).get_models()
        if model not in registered
    ]
    assert missing == []


def test_site_header_is_chinese(client, commission):
    response = client_for(client, commission).get(reverse("admin:index"))
    assert response.status_code == 200
    assert "萍乡市惩防体系项目化管理系统" in response.content.decode()


@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=model_id)
def test_commission_opens_every_changelist_and_add_page(client, world, commission, model):
    client = client_for(client, commission)
    response = client.get(url(model, "changelist"))
    assert response.status_code == 200
    assert str(model._meta.verbose_name_plural) in response.content.decode()
    expected_add = 403 if model in RECORD_MODELS else 200
    assert client.get(url(model, "add")).status_code == expected_add


@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=model_id)
def test_commission_opens_every_change_page_and_search(client, world, commission, model):
    obj = model._default_manager.first()
    assert obj is not None, "the world fixture should hold a row of every model"
    client = client_for(client, commission)
    assert client.get(url(model, "change", obj.pk)).status_code == 200
    assert client.get(url(model, "changelist"), {"q": "测试"}).status_code == 200


@pytest.mark.parametrize("model", DOMAIN_MODELS, ids=model_id)
def test_relations_to_big_tables_never_render_a_full_select(rf, commission, model):
    """Foreign keys and many-to-many fields to a scoped model that is not a
    small reference table use an autocomplete or a raw id input, in the
    model's form and in its inlines."""
    model_admin = admin.site._registry[model]
    request = rf.get("/")
    request.user = commission
    forms = [model_admin.get_form(request)]
    forms += [formset.form for formset, _inline in model_admin.get_formsets_with_inlines(request)]
    offenders = []
    for form in forms:
        for name, field in form.base_fields.items():
            related = getattr(getattr(field, "queryset", None), "model", None)
            target_admin = admin.site._registry.get(related)
            if not isinstance(target_admin, ScopedModelAdmin) or target_admin.small_table:
                continue
            widget = getattr(field.widget, "widget", field.widget)
            lookup_widgets = (
                AutocompleteSelect,
                AutocompleteSelectMultiple,
                ForeignKeyRawIdWidget,
                ManyToManyRawIdWidget,
            )
            if not isinstance(widget, lookup_widgets):
                offenders.append(f"{form.__name__}.{name}")
    assert offenders == []


# --- Audited writes -------------------------------------------------------------------------


def test_admin_add_change_delete_each_write_one_audit_row(client, tree, commission):
    client = client_for(client, commission)
    unit = tree["county_a"]

    response = client.post(
        url(am.Section, "add"), {"unit": unit.pk, "name": "纪检组", "sort_order": 0}
    )
    assert response.status_code == 302
    section = am.Section.objects.get(name="纪检组")
    [created] = audit_rows(section)
    assert created.action == AuditAction.CREATE
    assert created.actor == commission
    assert created.before is None
    assert created.after["name"] == "纪检组"
    assert created.after["unit_id"] == unit.pk

    response = client.post(
        url(am.Section, "change", section.pk),
        {"unit": unit.pk, "name": "纪检监察组", "sort_order": 2},
    )
    assert response.status_code == 302
    _created, changed = audit_rows(section)
    assert changed.action == AuditAction.UPDATE
    assert (changed.before["name"], changed.after["name"]) == ("纪检组", "纪检监察组")
    assert (changed.before["sort_order"], changed.after["sort_order"]) == (0, 2)
    assert changed.changed_fields == ["name", "sort_order"]

    response = client.post(url(am.Section, "delete", section.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not am.Section.objects.filter(pk=section.pk).exists()
    _created, _changed, deleted = audit_rows(section)
    assert deleted.action == AuditAction.DELETE
    assert deleted.before["name"] == "纪检监察组"
    assert deleted.after is None


def test_saving_an_unchanged_form_writes_no_audit_row(client, tree, commission):
    section = am.Section.objects.create(unit=tree["county_a"], name="办公室")
    client = client_for(client, commission)
    page = client.get(url(am.Section, "change", section.pk))
    response = client.post(url(am.Section, "change", section.pk), changeform_data(page))
    assert response.status_code == 302
    assert audit_rows(section) == []


def test_many_to_many_values_are_audited_with_their_final_state(client, world, commission):
    project = world["project"]
    first, second = world["mechanism"], world["mechanism2"]
    project.mechanisms.set([first])
    client = client_for(client, commission)
    page = client.get(url(pm.Project, "change", project.pk))
    data = changeform_data(page)
    data.update(mechanisms=[first.pk, second.pk], name="改名后的项目")

    response = client.post(url(pm.Project, "change", project.pk), data)

    assert response.status_code == 302, response.context["errors"]
    [row] = audit_rows(project)
    assert row.action == AuditAction.UPDATE
    assert row.before["mechanisms"] == [first.pk]
    assert row.after["mechanisms"] == sorted([first.pk, second.pk])
    assert row.changed_fields == ["mechanisms", "name"]


def test_adding_with_inlines_audits_the_object_and_every_inline_row(client, world, commission):
    client = client_for(client, commission)
    data = changeform_data(client.get(url(pm.Project, "add")))
    data.update(
        number="2011-900",
        year=2011,
        name="新项目",
        category=pc.ProjectCategory.INDIVIDUAL,
        tier=world["tier"].pk,
        program=world["program"].pk,
        lead_unit=world["county_a"].pk,
        mechanisms=[world["mechanism"].pk],
        start_date="2011-01-01",
        end_date="2011-12-31",
        stage=pc.ProjectStage.ESTABLISH,
        **{
            "targets-TOTAL_FORMS": 2,
            "targets-0-description": "培训",
            "targets-0-measure_unit": "次",
            "targets-0-target_value": "12",
            "targets-0-due_date": "2011-12-31",
            "targets-0-sort_order": 0,
            "targets-1-description": "检查",
            "targets-1-measure_unit": "次",
            "targets-1-target_value": "4",
            "targets-1-due_date": "2011-12-31",
            "targets-1-sort_order": 1,
        },
    )

    response = client.post(url(pm.Project, "add"), data)

    assert response.status_code == 302, response.context["errors"]
    project = pm.Project.objects.get(number="2011-900")
    [created] = audit_rows(project)
    assert created.action == AuditAction.CREATE
    assert created.after["mechanisms"] == [world["mechanism"].pk]
    targets = list(project.targets.order_by("sort_order"))
    assert [t.description for t in targets] == ["培训", "检查"]
    for target in targets:
        [row] = audit_rows(target)
        assert row.action == AuditAction.CREATE
        assert row.after["project_id"] == project.pk


def test_inline_change_and_delete_are_audited_row_by_row(client, world, commission):
    project = world["project"]
    kept = project.targets.get()
    dropped = pm.Target.objects.create(
        project=project,
        description="检查",
        measure_unit="次",
        target_value=Decimal("4"),
        due_date=dt.date(2011, 6, 30),
        sort_order=1,
    )
    client = client_for(client, commission)
    data = changeform_data(client.get(url(pm.Project, "change", project.pk)))
    rows = {data[f"targets-{i}-id"]: i for i in range(2)}
    data[f"targets-{rows[kept.pk]}-target_value"] = "20"
    data[f"targets-{rows[dropped.pk]}-DELETE"] = "on"

    response = client.post(url(pm.Project, "change", project.pk), data)

    assert response.status_code == 302, response.context["errors"]
    [changed] = audit_rows(kept)
    assert changed.action == AuditAction.UPDATE
    assert (changed.before["target_value"], changed.after["target_value"]) == ("10.00", "20.00")
    [deleted] = audit_rows(dropped)
    assert deleted.action == AuditAction.DELETE
    assert not pm.Target.objects.filter(pk=dropped.pk).exists()
    assert audit_rows(project) == []  # the project itself did not change


def test_delete_selected_audits_every_row(client, tree, commission):
    sections = [am.Section.objects.create(unit=tree["county_a"], name=f"科{i}") for i in range(3)]
    client = client_for(client, commission)

    response = client.post(
        url(am.Section, "changelist"),
        {
            "action": "delete_selected",
            "post": "yes",
            "_selected_action": [s.pk for s in sections],
        },
    )

    assert response.status_code == 302
    assert not am.Section.objects.exists()
    for section in sections:
        [row] = audit_rows(section)
        assert row.action == AuditAction.DELETE
        assert row.before["name"] == section.name


# --- The audit records are read-only ---------------------------------------------------------


@pytest.mark.parametrize("model", RECORD_MODELS, ids=model_id)
def test_audit_records_refuse_add_change_delete_even_for_the_commission(
    client, world, commission, model
):
    row = model.objects.first()
    client = client_for(client, commission)
    assert client.get(url(model, "add")).status_code == 403
    assert client.post(url(model, "add"), {}).status_code == 403
    page = client.get(url(model, "change", row.pk))
    assert page.status_code == 200  # a view-only page
    assert b'name="_save"' not in page.content
    assert client.post(url(model, "change", row.pk), {"reason": "x"}).status_code == 403
    assert client.post(url(model, "delete", row.pk), {"post": "yes"}).status_code == 403
    changelist = client.get(url(model, "changelist"))
    assert "action_form" not in changelist.context or not changelist.context["action_form"]
    assert model.objects.filter(pk=row.pk).exists()


def test_audit_log_shows_before_and_after_readably(client, tree, commission):
    section = am.Section.objects.create(unit=tree["county_a"], name="办公室")
    row = audit.record(
        actor=commission,
        action=AuditAction.UPDATE,
        obj=section,
        before={"name": "办公室"},
        after={"name": "综合科"},
    )
    page = client_for(client, commission).get(url(AuditLog, "change", row.pk))
    text = page.content.decode()
    assert "科室名称" in text  # the field's verbose name, not its attname
    assert "综合科" in text and "\\u" not in text


def test_only_commission_and_auditor_see_the_audit_log(client, world, auditor, leader, editor_a):
    assert client_for(client, auditor).get(url(AuditLog, "changelist")).status_code == 200
    for user in (leader, editor_a):
        assert client_for(client, user).get(url(AuditLog, "changelist")).status_code == 403


def test_transitions_are_readable_like_their_object(client, world, editor_b, editor_a):
    # The world's one transition belongs to a finding of county_a.
    changelist = url(Transition, "changelist")
    assert client_for(client, editor_a).get(changelist).context["cl"].result_count == 1
    assert client_for(client, editor_b).get(changelist).context["cl"].result_count == 0


# --- Roles --------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["leader", "auditor"])
def test_read_only_roles_get_view_only_pages(client, tree, request, persona):
    user = request.getfixturevalue(persona)
    section = am.Section.objects.create(unit=tree["county_a"], name="办公室")
    client = client_for(client, user)

    assert client.get(url(am.Section, "changelist")).status_code == 200
    assert client.get(url(am.Section, "add")).status_code == 403
    page = client.get(url(am.Section, "change", section.pk))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    response = client.post(
        url(am.Section, "change", section.pk),
        {"unit": section.unit_id, "name": "改名", "sort_order": 0},
    )
    assert response.status_code == 403
    assert client.post(url(am.Section, "delete", section.pk), {"post": "yes"}).status_code == 403
    section.refresh_from_db()
    assert section.name == "办公室"
    assert AuditLog.objects.filter(action=AuditAction.UPDATE).count() == 0


def test_editor_sees_only_their_subtree_of_units(client, tree, editor_a):
    client = client_for(client, editor_a)
    response = client.get(url(am.Unit, "changelist"))
    assert response.status_code == 200
    names = {unit.name for unit in response.context["cl"].result_list}
    assert names == {"甲县", "甲县一镇"}
    out_of_scope = client.get(url(am.Unit, "change", tree["county_b"].pk))
    assert out_of_scope.status_code == 302
    assert out_of_scope["Location"] == reverse("admin:index")


def test_editor_autocomplete_offers_only_their_units(client, tree, editor_a):
    response = client_for(client, editor_a).get(
        reverse("admin:autocomplete"),
        {"app_label": "accountability", "model_name": "section", "field_name": "unit"},
    )
    assert response.status_code == 200
    assert {r["text"] for r in response.json()["results"]} == {"甲县", "甲县一镇"}


def test_editor_edits_own_rows_but_cannot_move_them_out_of_reach(client, tree, editor_a):
    section = am.Section.objects.create(unit=tree["county_a"], name="办公室")
    client = client_for(client, editor_a)

    moved = client.post(
        url(am.Section, "change", section.pk),
        {"unit": tree["county_b"].pk, "name": "办公室", "sort_order": 0},
    )
    assert moved.status_code == 403
    section.refresh_from_db()
    assert section.unit == tree["county_a"]

    renamed = client.post(
        url(am.Section, "change", section.pk),
        {"unit": tree["county_a"].pk, "name": "综合科", "sort_order": 0},
    )
    assert renamed.status_code == 302
    [row] = audit_rows(section)
    assert row.actor == editor_a and row.after["name"] == "综合科"


def test_editor_cannot_delete_out_of_scope_rows_in_bulk(client, tree, editor_a):
    mine = am.Section.objects.create(unit=tree["county_a"], name="办公室")
    theirs = am.Section.objects.create(unit=tree["county_b"], name="办公室")
    response = client_for(client, editor_a).post(
        url(am.Section, "changelist"),
        {"action": "delete_selected", "post": "yes", "_selected_action": [mine.pk, theirs.pk]},
    )
    # The out-of-scope row is not even selectable: only the editor's own goes.
    assert response.status_code == 302
    assert list(am.Section.objects.all()) == [theirs]


def test_editor_cannot_create_rows_outside_their_reach(client, tree, editor_a):
    response = client_for(client, editor_a).post(
        url(am.Section, "add"), {"unit": tree["county_b"].pk, "name": "办公室", "sort_order": 0}
    )
    assert response.status_code == 403
    assert not am.Section.objects.exists()
    assert not AuditLog.objects.filter(content_type__model="section").exists()


def test_editor_bulk_delete_of_visible_but_not_writable_rows_is_refused(client, world, editor_a):
    """A ledger entry written by county_b on county_a's project: editor_a reads
    it (their project) but only county_b edits it."""
    entry = make_ledger_entry(world["project"], world["county_b"])
    response = client_for(client, editor_a).post(
        url(pm.LedgerEntry, "changelist"),
        {"action": "delete_selected", "post": "yes", "_selected_action": [entry.pk]},
    )
    assert response.status_code == 403
    assert pm.LedgerEntry.objects.filter(pk=entry.pk).exists()
    assert audit_rows(entry) == []


def test_editor_gets_view_only_page_for_visible_but_not_writable_rows(client, world, editor_b):
    """county_b co-organises the project, so editor_b reads it, but only the
    commission edits projects."""
    client = client_for(client, editor_b)
    project = world["project"]
    page = client.get(url(pm.Project, "change", project.pk))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.post(url(pm.Project, "change", project.pk), {}).status_code == 403


# --- Query counts -------------------------------------------------------------------------------


SERIAL = itertools.count(100)


def grow_units(tree, n):
    return lambda: [f.UnitFactory(parent=tree["county_a"]) for _ in range(n)]


def grow_sections(tree, n):
    return lambda: [
        am.Section.objects.create(unit=tree["township_a"], name=f"科室{next(SERIAL)}")
        for _ in range(n)
    ]


def grow_projects(world, n):
    return lambda: [make_project(world, f"2011-{next(SERIAL)}") for _ in range(n)]


def grow_ledger(world, n):
    return lambda: [make_ledger_entry(world["project"], world["county_a"]) for _ in range(n)]


def grow_audit_rows(tree, n):
    return lambda: [
        audit.record(actor=None, action=AuditAction.CREATE, obj=tree["city"]) for _ in range(n)
    ]


CHANGELIST_GROWTH = {
    am.Unit: (grow_units, "tree"),
    am.Section: (grow_sections, "tree"),
    pm.Project: (grow_projects, "world"),
    pm.LedgerEntry: (grow_ledger, "world"),
    AuditLog: (grow_audit_rows, "tree"),
}
CHANGELIST_QUERY_LIMIT = 12


@pytest.mark.parametrize("model", list(CHANGELIST_GROWTH), ids=model_id)
@pytest.mark.parametrize("persona", ["commission", "editor_a"])
def test_changelist_query_count_does_not_grow_with_rows(client, request, model, persona):
    grow, fixture = CHANGELIST_GROWTH[model]
    data = request.getfixturevalue(fixture)
    user = request.getfixturevalue(persona)
    grow(data, 5)()
    client = client_for(client, user)
    changelist = url(model, "changelist")

    def run():
        assert client.get(changelist).status_code in (200, 403)

    assert_constant_queries(run, grow(data, 45), limit=CHANGELIST_QUERY_LIMIT)


def test_scope_of_admin_rule_is_the_same_as_restrict(tree, editor_a):
    """The admin's queryset is exactly the visibility rule's."""
    request = RequestFactory().get("/")
    request.user = editor_a
    admin_qs = admin.site._registry[am.Unit].get_queryset(request)
    assert set(admin_qs) == set(am.Unit.objects.restrict(editor_a, "view"))
