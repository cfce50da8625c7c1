"""The one visibility rule (pingxiang_cf/scope.py) and the role permissions
(pingxiang_cf/backends.py), for every persona, each with an object inside
and an object outside its reach."""

import datetime

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse

from accountability import choices as acc
from accountability.models import Unit
from assessments.models import Score
from inspections.models import Finding
from pingxiang_cf import audit
from pingxiang_cf.backends import DOMAIN_APPS, RoleBackend
from pingxiang_cf.models import AuditAction, AuditLog, Transition
from pingxiang_cf.scope import CHANGE, VIEW, can, get_user_scope
from projects.models import LedgerEntry, Program, Project, Target
from tests import factories as f
from tests.querycount import assert_constant_queries, count_queries

ResponsibilityLetter = apps.get_model("accountability", "ResponsibilityLetter")

PERSONAS = [
    "commission",
    "auditor",
    "leader",
    "county_leader",
    "editor_a",
    "editor_b",
    "co_editor_b",
    "outsider",
    "anonymous",
    "superuser",
    "inactive_user",
]

# Which side of the tree each persona sees: "a" is county_a's subtree, "b" county_b's.
VIEW_REACH = {
    "commission": {"a", "b"},
    "auditor": {"a", "b"},
    "leader": {"a", "b"},
    "county_leader": {"a"},
    "editor_a": {"a"},
    "editor_b": {"b"},
    "co_editor_b": {"b"},
    "outsider": set(),
    "anonymous": set(),
    "superuser": {"a", "b"},
    "inactive_user": set(),
}
# Where each persona may write on models that declare edit paths.
EDIT_REACH = {
    "commission": {"a", "b"},
    "superuser": {"a", "b"},
    "editor_a": {"a"},
    "editor_b": {"b"},
    "co_editor_b": {"b"},
}
WRITES_EVERYWHERE = {"commission", "superuser"}
READ_ONLY = ["auditor", "leader", "county_leader"]

# Representative models; True when editors write them inside their reach.
SCOPED_MODELS = {
    "Unit": False,
    "Project": False,
    "LedgerEntry": True,
    "Finding": True,
    "ResponsibilityLetter": True,
    "Score": False,
}


@pytest.fixture
def persona(request):
    """Resolve a persona fixture by name."""

    def get(name):
        return request.getfixturevalue(name)

    return get


@pytest.fixture
def world(tree):
    """One object of each representative model on each side of the tree."""
    township_b = f.TownshipFactory(name="乙县一镇", parent=tree["county_b"])
    sides = {}
    for side, county, township in (
        ("a", tree["county_a"], tree["township_a"]),
        ("b", tree["county_b"], township_b),
    ):
        project = f.ProjectFactory(lead_unit=county)
        sides[side] = {
            "Unit": county,
            "Project": project,
            "LedgerEntry": f.LedgerEntryFactory(project=project),
            "Finding": f.FindingFactory(unit=township),
            "ResponsibilityLetter": f.ResponsibilityLetterFactory(
                level=acc.LetterLevel.LEAD_TO_SUBORDINATE,
                issuer_unit=county,
                recipient_unit=township,
            ),
            "Score": f.ScoreFactory(assessment=f.UnitAssessmentFactory(unit=county)),
        }
    return sides


def _visible(model, user, action):
    return set(model.objects.restrict(user, action).values_list("pk", flat=True))


# --- View and change per persona, in and out of scope ----------------------------------------


@pytest.mark.parametrize("model_name", list(SCOPED_MODELS))
@pytest.mark.parametrize("name", PERSONAS)
def test_restrict_view_includes_in_scope_and_excludes_out_of_scope(
    world, persona, name, model_name
):
    user = persona(name)
    visible = _visible(type(world["a"][model_name]), user, VIEW)
    for side in ("a", "b"):
        assert (world[side][model_name].pk in visible) == (side in VIEW_REACH[name]), side


@pytest.mark.parametrize("model_name", list(SCOPED_MODELS))
@pytest.mark.parametrize("name", PERSONAS)
def test_restrict_change_includes_in_scope_and_excludes_out_of_scope(
    world, persona, name, model_name
):
    user = persona(name)
    if name in WRITES_EVERYWHERE:
        reach = {"a", "b"}
    elif SCOPED_MODELS[model_name]:
        reach = EDIT_REACH.get(name, set())
    else:
        reach = set()
    changeable = _visible(type(world["a"][model_name]), user, CHANGE)
    for side in ("a", "b"):
        obj = world[side][model_name]
        assert (obj.pk in changeable) == (side in reach), side
        assert can(user, obj, CHANGE) == (side in reach), side


def test_unit_member_sees_units_below_but_not_above_or_beside(tree, editor_a):
    visible = _visible(Unit, editor_a, VIEW)
    assert visible == {tree["county_a"].pk, tree["township_a"].pk}


def test_county_leader_sees_the_jurisdiction_only(tree, county_leader):
    assert _visible(Unit, county_leader, VIEW) == {tree["county_a"].pk, tree["township_a"].pk}
    assert _visible(Unit, county_leader, CHANGE) == set()


@pytest.mark.parametrize("name", ["commission", "auditor", "leader", "superuser"])
def test_city_wide_personas_see_every_unit(tree, persona, name):
    assert _visible(Unit, persona(name), VIEW) == set(Unit.objects.values_list("pk", flat=True))


# --- Projects through co-units and assignments -----------------------------------------------


def test_project_is_visible_to_its_co_unit(tree, editor_a, editor_b):
    project = f.ProjectFactory(lead_unit=tree["department"], co_units=[tree["county_a"]])
    assert project.pk in _visible(Project, editor_a, VIEW)
    assert project.pk not in _visible(Project, editor_b, VIEW)
    assert project.pk not in _visible(Project, editor_a, CHANGE)


def test_project_is_visible_to_the_assignee_of_a_split(tree, editor_a, county_leader, editor_b):
    project = f.ProjectFactory(lead_unit=tree["city"])
    f.DownwardAssignmentFactory(project=project, assignee_unit=tree["township_a"])
    assert project.pk in _visible(Project, editor_a, VIEW)
    assert project.pk in _visible(Project, county_leader, VIEW)
    assert project.pk not in _visible(Project, editor_b, VIEW)


def test_object_matching_several_paths_is_listed_once(tree, editor_a):
    county_a, township_a = tree["county_a"], tree["township_a"]
    project = f.ProjectFactory(lead_unit=county_a, co_units=[f.UnitFactory()])
    second_township = f.TownshipFactory(parent=county_a)
    for assignee in (township_a, township_a, second_township):
        f.DownwardAssignmentFactory(project=project, assignee_unit=assignee)
    target = f.TargetFactory(project=project)

    projects = list(Project.objects.restrict(editor_a))
    assert projects.count(project) == 1
    assert Project.objects.restrict(editor_a).count() == len(projects)
    targets = list(Target.objects.restrict(editor_a))
    assert targets.count(target) == 1


def test_project_whose_lead_and_co_unit_are_both_visible_is_listed_once(tree, leader, editor_a):
    project = f.ProjectFactory(lead_unit=tree["county_a"], co_units=[tree["township_a"]])
    for user in (editor_a, leader):
        assert list(Project.objects.restrict(user)).count(project) == 1


# --- Ledger entries of a split, letters from above ------------------------------------------


def test_lead_unit_sees_co_units_ledger_but_only_the_co_unit_edits_it(
    tree, editor_a, editor_b, co_editor_b
):
    project = f.ProjectFactory(lead_unit=tree["county_b"])
    assignment = f.OuterAssignmentFactory(project=project, assignee_unit=tree["county_a"])
    entry = f.LedgerEntryFactory(assignment=assignment)
    assert entry.unit == tree["county_a"]
    for user in (editor_a, editor_b, co_editor_b):
        assert entry.pk in _visible(LedgerEntry, user, VIEW)
    assert can(editor_a, entry, CHANGE)
    assert not can(editor_b, entry, CHANGE)
    assert not can(co_editor_b, entry, CHANGE)


def test_recipient_sees_a_letter_from_above_but_cannot_change_it(tree, editor_a):
    letter = f.ResponsibilityLetterFactory(recipient_unit=tree["county_a"])
    assert letter.issuer_unit == tree["city"]
    assert letter.pk in _visible(ResponsibilityLetter, editor_a, VIEW)
    assert not can(editor_a, letter, CHANGE)


def test_can_is_false_for_an_unsaved_object(commission):
    assert not can(commission, Finding(), CHANGE)


# --- Framework data and the audit log ---------------------------------------------------------


@pytest.mark.parametrize("name", PERSONAS)
def test_framework_data_is_visible_to_every_signed_in_user(tree, persona, name):
    program = f.ProgramFactory()
    user = persona(name)
    signed_in = name not in ("anonymous", "inactive_user")
    assert (program.pk in _visible(Program, user, VIEW)) == signed_in
    assert (program.pk in _visible(Program, user, CHANGE)) == (name in WRITES_EVERYWHERE)


@pytest.mark.parametrize("admin", ["sysadmin", "secadmin", "audit_admin"])
def test_the_three_administrators_see_no_business_data(client, request, admin, commission):
    """三员分立: framework data and published notices are open to every
    business role, not to an administrator holding no business role."""
    from inspections.choices import NoticeStatus

    program = f.ProgramFactory()
    notice = f.NoticeFactory(status=NoticeStatus.PUBLISHED, issued_on=datetime.date(f.YEAR, 3, 5))
    user = request.getfixturevalue(admin)
    assert get_user_scope(user).is_admin_only
    assert program.pk not in _visible(Program, user, VIEW)
    client.force_login(user)
    url = reverse("inspections:notice-detail", args=[notice.code])
    assert client.get(url).status_code == 404
    client.force_login(commission)
    assert client.get(url).status_code == 200
    assert not get_user_scope(commission).is_admin_only


@pytest.fixture
def audit_row(tree):
    return audit.record(
        actor=None, action=AuditAction.CREATE, obj=tree["county_a"], after={"name": "甲县"}
    )


@pytest.mark.parametrize("name", PERSONAS)
def test_only_commission_and_auditor_see_the_audit_log(audit_row, persona, name):
    visible = audit_row.pk in _visible(AuditLog, persona(name), VIEW)
    assert visible == (name in {"commission", "auditor", "superuser"})


@pytest.mark.parametrize("name", [p for p in PERSONAS if p not in WRITES_EVERYWHERE])
def test_audit_log_is_not_changeable_by_restrict(audit_row, persona, name):
    assert audit_row.pk not in _visible(AuditLog, persona(name), CHANGE)


def test_commission_cannot_change_audit_rows_through_restrict(audit_row, commission):
    assert audit_row.pk not in _visible(AuditLog, commission, CHANGE)


def _all_domain_models():
    for label in DOMAIN_APPS:
        yield from apps.get_app_config(label).get_models()


@pytest.mark.parametrize("name", READ_ONLY)
def test_leaders_and_auditors_can_change_nothing(world, persona, name):
    user = persona(name)
    for model in _all_domain_models():
        assert model.objects.restrict(user, CHANGE).query.is_empty(), model._meta.label


@pytest.mark.parametrize("name", ["editor_a", "co_editor_b"])
def test_editors_change_only_models_with_edit_paths(world, persona, name):
    user = persona(name)
    for model in _all_domain_models():
        if not getattr(model, "scope_edit_paths", ()):
            assert model.objects.restrict(user, CHANGE).query.is_empty(), model._meta.label


@pytest.mark.parametrize("name", ["outsider", "anonymous", "inactive_user"])
def test_users_without_a_role_see_no_scoped_rows(world, persona, name):
    user = persona(name)
    for model_name in SCOPED_MODELS:
        assert _visible(type(world["a"][model_name]), user, VIEW) == set()


def test_membership_in_an_inactive_unit_grants_nothing(tree, editor_a):
    Unit.objects.filter(pk=tree["county_a"].pk).update(is_active=False)
    fresh = get_user_model().objects.get(pk=editor_a.pk)
    assert _visible(Unit, fresh, VIEW) == set()


# --- Query counts ---------------------------------------------------------------------------


def test_scope_is_resolved_with_one_query_and_cached(tree, editor_a):
    fresh = get_user_model().objects.get(pk=editor_a.pk)
    with count_queries() as qc:
        get_user_scope(fresh)
        get_user_scope(fresh)
    assert qc.count == 1


@pytest.mark.parametrize("name", ["editor_a", "county_leader", "commission"])
def test_restrict_adds_no_query_per_row(tree, persona, name):
    user = persona(name)
    get_user_scope(user)  # resolved once per user object, outside the count
    county_a, township_a = tree["county_a"], tree["township_a"]
    co_unit = f.UnitFactory()

    def make_projects(count):
        for i in range(count):
            project = f.ProjectFactory(
                lead_unit=county_a if i % 3 == 0 else tree["department"],
                co_units=[co_unit, county_a] if i % 3 == 1 else [co_unit],
            )
            if i % 3 == 2:
                f.DownwardAssignmentFactory(
                    project=f.ProjectFactory(lead_unit=county_a), assignee_unit=township_a
                )
                f.DownwardAssignmentFactory(project=project, assignee_unit=f.TownshipFactory())

    make_projects(5)
    small = Project.objects.count()

    def run():
        rows = list(Project.objects.restrict(user))
        assert rows

    queries = assert_constant_queries(run, lambda: make_projects(45), limit=1)
    assert queries == 1
    assert Project.objects.count() >= small + 45


# --- Model permissions from roles (pingxiang_cf/backends.py) ---------------------------------


def _perms(user):
    return user.get_all_permissions()


def test_editor_gets_change_on_ledger_entries_but_not_on_projects(editor_a):
    assert editor_a.has_perm("projects.change_ledgerentry")
    assert editor_a.has_perm("projects.add_ledgerentry")
    assert editor_a.has_perm("projects.view_project")
    assert not editor_a.has_perm("projects.change_project")
    assert not editor_a.has_perm("projects.add_project")
    assert not editor_a.has_perm("assessments.change_score")
    assert not editor_a.has_perm("pingxiang_cf.view_auditlog")


def test_co_unit_editor_gets_the_same_model_permissions_as_a_lead_editor(editor_a, co_editor_b):
    assert _perms(editor_a) == _perms(co_editor_b)


@pytest.mark.parametrize("name", READ_ONLY)
def test_read_only_roles_get_view_permissions_only(persona, name):
    perms = _perms(persona(name))
    assert "projects.view_project" in perms
    assert perms and all(p.split(".", 1)[1].startswith("view_") for p in perms), perms


def test_auditor_may_view_the_audit_log_and_leader_may_not(auditor, leader):
    assert auditor.has_perm("pingxiang_cf.view_auditlog")
    assert not leader.has_perm("pingxiang_cf.view_auditlog")


def test_commission_gets_every_write_except_on_audit_rows(commission):
    assert commission.has_perm("projects.change_project")
    assert commission.has_perm("assessments.change_score")
    assert commission.has_perm("pingxiang_cf.view_auditlog")
    for verb in ("add", "change", "delete"):
        assert not commission.has_perm(f"pingxiang_cf.{verb}_auditlog")
        assert not commission.has_perm(f"pingxiang_cf.{verb}_transition")


@pytest.mark.parametrize("name", [p for p in PERSONAS if p != "superuser"])
def test_nobody_gets_change_on_the_audit_log(persona, name):
    user = persona(name)
    assert not user.has_perm("pingxiang_cf.change_auditlog")
    assert not user.has_perm("pingxiang_cf.delete_auditlog")


@pytest.mark.parametrize("name", ["commission", "auditor", "superuser"])
def test_role_backend_never_grants_writes_on_audit_rows(persona, name):
    """Django itself gives an active superuser every permission; the role
    backend adds none on audit rows for anyone."""
    perms = RoleBackend().get_all_permissions(persona(name))
    for model in (AuditLog, Transition):
        for verb in ("add", "change", "delete"):
            assert f"pingxiang_cf.{verb}_{model._meta.model_name}" not in perms


@pytest.mark.parametrize("name", ["outsider", "anonymous", "inactive_user"])
def test_users_without_an_active_role_get_no_permissions(persona, name):
    user = persona(name)
    assert RoleBackend().get_all_permissions(user) == set()
    assert not user.has_perm("projects.view_project")


def test_object_permissions_are_left_to_restrict(editor_a, world):
    assert RoleBackend().get_all_permissions(editor_a, obj=world["a"]["LedgerEntry"]) == set()


def test_role_permissions_are_cached_per_user_object(editor_a):
    editor_a.has_perm("projects.view_project")
    with count_queries() as qc:
        editor_a.has_perm("projects.change_ledgerentry")
    assert qc.count == 0


def test_permission_set_matches_declared_edit_paths(editor_a):
    perms = _perms(editor_a)
    for model in _all_domain_models():
        label, name = model._meta.app_label, model._meta.model_name
        writable = bool(getattr(model, "scope_edit_paths", ())) and name not in {
            "auditlog",
            "transition",
        }
        assert (f"{label}.change_{name}" in perms) == writable, model._meta.label


def test_score_has_no_edit_path_so_editors_cannot_score(world, editor_a):
    assert Score.objects.restrict(editor_a, CHANGE).count() == 0
