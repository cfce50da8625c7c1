"""The Pingxiang demo data set: the seed's figures, a well-formed tree, rows
that obey the models' rules, idempotence and the production guard."""

import re
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Max, Q, Sum

from accountability import choices as acc
from accountability.models import (
    AccountabilityCase,
    Commendation,
    LeadingGroup,
    Membership,
    ResponsibilityLetter,
    RiskPoint,
    Section,
    Unit,
)
from assessments.models import AssessmentScheme, Score, UnitAssessment
from demo import data
from demo.builders.accounts import ACCOUNTS
from demo.builders.responsibility import risk_level
from demo.figures import current_figures, differences
from inspections.models import (
    Finding,
    Notice,
    NoticeUnit,
    SupervisionCycle,
    SupervisionLetter,
    SupervisionReport,
)
from pingxiang_cf.models import AuditLog, Transition
from projects.choices import LedgerStatus, ProjectCategory, SplitKind
from projects.models import (
    Assignment,
    AssignmentShare,
    BrandModel,
    LedgerEntry,
    LedgerQuantity,
    Mechanism,
    PlanTask,
    Project,
)
from tests.demo.loading import domain_models, fingerprint, table_counts

pytestmark = [pytest.mark.django_db, pytest.mark.demo]


@pytest.fixture(scope="module", autouse=True)
def demo_output(pingxiang_demo):
    return pingxiang_demo


# --- The command ------------------------------------------------------------------------------


def test_load_prints_the_time_taken_and_the_figures(demo_output):
    assert re.search(r"用时 \d+\.\d 秒", demo_output)
    assert "方案任务 104/113 项已完成" in demo_output
    assert "共性 125、个性 117、延伸 13" in demo_output


def test_figures_match_the_seed():
    figures = current_figures()
    assert differences(figures) == []
    assert figures["responsibility_letters"] >= 1100


def test_second_run_changes_nothing():
    counts, digest = table_counts(), fingerprint()
    audit_rows = AuditLog.objects.count()
    out = StringIO()
    call_command("load_pingxiang_demo", force=True, stdout=out)
    assert "未做任何改动" in out.getvalue()
    assert table_counts() == counts
    assert fingerprint() == digest
    assert AuditLog.objects.count() == audit_rows


def test_refuses_to_run_when_debug_is_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_pingxiang_demo", stdout=StringIO())
    call_command("load_pingxiang_demo", force=True, stdout=StringIO())


# --- Accounts ---------------------------------------------------------------------------------


def test_demo_accounts_sign_in_with_the_demo_password(client):
    # Every account carries the very same hash (read before any sign-in, which
    # may re-hash under the tests' fast hasher), so signing in one account per
    # kind of role proves them all.
    hashes = set(
        get_user_model()
        .objects.filter(username__in=[a[0] for a in ACCOUNTS])
        .values_list("password", flat=True)
    )
    assert len(hashes) == 1
    for username in ("commission", "leader", "anyuan", "shenji"):
        assert client.login(username=username, password=settings.DEMO_PASSWORD), username
        client.logout()
    assert not client.login(username="commission", password="wrong-password")


def test_demo_accounts_are_staff_but_not_superusers_and_hold_their_roles():
    users = get_user_model().objects.filter(username__in=[a[0] for a in ACCOUNTS])
    assert users.count() == len(ACCOUNTS)
    assert all(u.is_staff and not u.is_superuser for u in users)
    held = set(Membership.objects.values_list("user__username", "unit__name", "role"))
    for username, _display, unit_name, role in ACCOUNTS:
        assert (username, unit_name or data.ROOT_NAME, role) in held


# --- The unit tree ----------------------------------------------------------------------------


def test_every_unit_has_its_materialised_path():
    parents = dict(Unit.objects.values_list("pk", "path"))
    for pk, parent_id, path, depth in Unit.objects.values_list("pk", "parent_id", "path", "depth"):
        expected = f"{parents[parent_id]}{pk}/" if parent_id else f"/{pk}/"
        assert path == expected
        assert depth == path.count("/") - 2


def test_tree_has_the_real_counties_and_named_departments():
    root = Unit.objects.get(parent__isnull=True)
    assert (root.name, root.tier, root.kind) == ("萍乡市", acc.UnitTier.CITY, acc.UnitKind.CITY)
    counties = Unit.objects.filter(kind=acc.UnitKind.COUNTY, parent=root)
    assert set(counties.values_list("name", flat=True)) == {
        "安源区",
        "湘东区",
        "莲花县",
        "上栗县",
        "芦溪县",
    }
    departments = Unit.objects.filter(tier=acc.UnitTier.DEPARTMENT, parent=root)
    assert departments.count() == 87
    names = set(departments.values_list("name", flat=True))
    assert {"市纪委机关", "市委组织部", "市财政局", "市审计局", "市住建局"} <= names
    assert not any(re.search(r"\d", name) for name in names)


def test_grassroots_units_hang_under_the_right_parents():
    kinds = acc.UnitKind
    assert not Unit.objects.filter(kind=kinds.TOWNSHIP).exclude(parent__kind=kinds.COUNTY).exists()
    assert (
        not Unit.objects.filter(kind=kinds.VILLAGE_AGENT_POINT)
        .exclude(parent__kind=kinds.TOWNSHIP)
        .exists()
    )
    centres = Unit.objects.filter(kind=kinds.TOWNSHIP_SERVICE_CENTRE)
    assert centres.filter(parent__kind=kinds.TOWNSHIP).count() == 46
    assert centres.filter(parent__kind=kinds.COUNTY).count() == 1
    per_county = Unit.objects.filter(kind=kinds.COUNTY_SERVICE_CENTRE).values("parent")
    assert per_county.distinct().count() == 5
    assert Unit.objects.get(name="安源镇").parent.name == "安源区"


def test_departments_and_counties_have_three_to_six_sections():
    sizes = (
        Unit.objects.filter(kind__in=[acc.UnitKind.COUNTY, *DEPARTMENT_KINDS])
        .annotate(n=Count("sections"))
        .values_list("n", flat=True)
    )
    assert len(sizes) == 92
    assert all(3 <= n <= 6 for n in sizes)


DEPARTMENT_KINDS = [acc.UnitKind.MUNICIPAL_DEPT, acc.UnitKind.PROVINCIAL_DEPT]


# --- Framework and plan -----------------------------------------------------------------------


def test_framework_is_seeded_with_mechanisms_and_brand_models():
    goals = dict(Mechanism.objects.values_list("name", "goal"))
    assert goals == {
        "自律机制": "不愿腐败",
        "制度体系": "不能腐败",
        "防范机制": "不可腐败",
        "长效机制": "不易腐败",
        "惩处机制": "不敢腐败",
    }
    brands = dict(BrandModel.objects.values_list("unit__name", "name"))
    assert brands == {
        "安源区": "梯链网",
        "芦溪县": "四个保廉体系",
        "湘东区": "1372",
        "上栗县": "三级联动、六位一体",
        "莲花县": "三环相扣、三责并举",
    }


def test_completed_plan_tasks_have_a_date_and_the_rest_none():
    tasks = PlanTask.objects.all()
    assert tasks.filter(status="completed", completed_on__isnull=False).count() == 104
    assert tasks.exclude(status="completed").filter(completed_on__isnull=True).count() == 9
    assert not tasks.filter(co_units__isnull=True).exists()


# --- Projects, splits and ledgers -------------------------------------------------------------


def test_projects_spread_over_2008_to_2011():
    per_year = dict(Project.objects.values_list("year").annotate(n=Count("pk")))
    assert set(per_year) == {2008, 2009, 2010, 2011}
    assert sum(per_year.values()) == 255
    assert Project.objects.filter(category=ProjectCategory.EXTENSION).count() == 13
    assert not Project.objects.filter(targets__isnull=True).exists()
    assert not Project.objects.annotate(n=Count("targets")).filter(n__gt=3).exists()


def test_splits_obey_the_three_rules():
    inner = Assignment.objects.filter(kind=SplitKind.INNER)
    assert inner.exists()
    assert not inner.exclude(assignee_unit=F("project__lead_unit")).exists()
    assert not inner.exclude(section__unit=F("project__lead_unit")).exists()
    outer = Assignment.objects.filter(kind=SplitKind.OUTER)
    assert outer.exists()
    assert not outer.exclude(Q(project__co_unit_links__unit=F("assignee_unit"))).exists()
    downward = Assignment.objects.filter(kind=SplitKind.DOWNWARD).select_related(
        "assignee_unit", "project__lead_unit"
    )
    assert downward.exists()
    assert all(a.assignee_unit.is_below(a.project.lead_unit) for a in downward)
    assert not Assignment.objects.filter(deadline__gt=F("project__end_date")).exists()


def test_shares_never_exceed_the_whole_target():
    totals = AssignmentShare.objects.values("target").annotate(total=Sum("share_percent"))
    assert max(row["total"] for row in totals) <= Decimal("100")
    assert not AssignmentShare.objects.exclude(target__project=F("assignment__project")).exists()


def test_ledger_entries_come_from_the_owning_unit():
    entries = LedgerEntry.objects.all()
    assert (
        not entries.filter(assignment__isnull=False)
        .exclude(unit=F("assignment__assignee_unit"))
        .exists()
    )
    assert (
        not entries.filter(assignment__isnull=True).exclude(unit=F("project__lead_unit")).exists()
    )
    assert not LedgerQuantity.objects.exclude(target__project=F("entry__project")).exists()
    statuses = dict(entries.values_list("status").annotate(n=Count("pk")))
    assert statuses[LedgerStatus.VERIFIED] > 0.8 * sum(statuses.values())
    assert statuses[LedgerStatus.SUBMITTED] and statuses[LedgerStatus.RETURNED]


def test_key_rows_pass_their_model_validation():
    """clean() of the models with cross-row rules, plus field validation (lengths,
    choices) of every row: SQLite does not enforce max_length."""
    checked = [
        Assignment.objects.filter(kind__in=[SplitKind.INNER, SplitKind.DOWNWARD]).select_related(
            "project__lead_unit", "assignee_unit", "section"
        ),
        LedgerEntry.objects.select_related("assignment", "project"),
        Score.objects.select_related("indicator", "assessment"),
        ResponsibilityLetter.objects.select_related("recipient_section"),
    ]
    for queryset in checked:
        for obj in queryset:
            obj.clean()
    for model in domain_models():
        if model._meta.app_label == "auth" or model._meta.auto_created:
            continue
        relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
        for obj in model._base_manager.all():
            try:
                obj.clean_fields(exclude=relations)
            except ValidationError as exc:  # pragma: no cover - shows the row
                pytest.fail(f"{model.__name__} {obj.pk}: {exc}")


# --- Responsibility, risks, outcomes -----------------------------------------------------------


def test_city_letters_are_signed_by_the_commission_secretary():
    city = ResponsibilityLetter.objects.filter(level=acc.LetterLevel.CITY_TO_LEAD)
    assert city.exists()
    assert set(city.values_list("issuer_signatory__name", "issuer_signatory__post")) == {
        ("舒仁庆", "市委常委、市纪委书记")
    }
    assert (
        not ResponsibilityLetter.objects.filter(recipient_section__isnull=False)
        .exclude(recipient_section__unit=F("issuer_unit"))
        .exists()
    )
    assert ResponsibilityLetter.objects.filter(status=acc.LetterStatus.SIGNED).count() >= 1100


def test_leading_groups_have_a_leader():
    assert LeadingGroup.objects.count() == 137
    assert not LeadingGroup.objects.exclude(members__position="leader").exists()


def test_risk_levels_follow_likelihood_times_impact():
    points = list(RiskPoint.objects.values_list("likelihood", "impact", "level"))
    assert points
    assert all(level == risk_level(lik, imp) for lik, imp, level in points)
    assert not RiskPoint.objects.filter(controls__isnull=True).exists()


def test_outcomes_for_leaders_are_county_level_officials():
    county_level = [acc.OfficialRank.COUNTY, acc.OfficialRank.PROVINCIAL]
    for model, leaders in ((Commendation, 30), (AccountabilityCase, 13)):
        people = model.objects.filter(official__isnull=False)
        assert people.count() == leaders
        assert people.filter(official__rank__in=county_level).count() == leaders


# --- Assessments ------------------------------------------------------------------------------


def test_schemes_are_out_of_100_and_totals_add_up():
    """Each scheme is valid (the indicators that apply to each comparable group
    add up to 100), every score is within its maximum, and each total is its
    parts: indicator points + capped bonus − capped deductions."""
    from assessments.services import scheme_problems

    for year in data.YEARS:
        assert scheme_problems(AssessmentScheme.objects.get(year=year)) == []
    assert not Score.objects.exclude(max_points=F("indicator__max_points")).exists()
    assert not Score.objects.filter(points__gt=F("max_points")).exists()
    regular = dict(
        Score.objects.filter(indicator__rule_kind__in=["auto", "manual"])
        .values_list("assessment")
        .annotate(s=Sum("points"))
    )
    for a in UnitAssessment.objects.all():
        assert a.base_points == regular[a.pk]
        assert a.total == max(Decimal(0), a.base_points + a.bonus_points - a.deduction_points)


def test_ranks_follow_totals():
    """Within each comparable group, ranks follow totals; equal totals share a
    rank and the next rank is skipped."""
    for year in data.YEARS:
        for group in ("county", "department", "township"):
            rows = list(
                UnitAssessment.objects.filter(scheme__year=year, group=group)
                .order_by("rank", "unit__code")
                .values_list("rank", "total")
            )
            assert rows
            for index, (rank, total) in enumerate(rows):
                if index and total == rows[index - 1][1]:
                    assert rank == rows[index - 1][0]
                else:
                    assert rank == index + 1
            totals = [total for _rank, total in rows]
            assert totals == sorted(totals, reverse=True)


# --- Inspections ------------------------------------------------------------------------------


def test_supervision_letters_are_numbered_like_real_ones():
    numbers = SupervisionLetter.objects.values_list("number", flat=True)
    assert numbers
    assert all(re.fullmatch(r"萍纪惩督〔20(08|09|10|11)〕\d+号", n) for n in numbers)


def test_nothing_in_the_demo_happens_after_the_seed_date():
    latest = [
        LedgerEntry.objects.aggregate(d=Max("entry_date"))["d"],
        Finding.objects.aggregate(d=Max("closed_on"))["d"],
        SupervisionLetter.objects.aggregate(d=Max("issued_on"))["d"],
        ResponsibilityLetter.objects.aggregate(d=Max("signed_on"))["d"],
        Commendation.objects.aggregate(d=Max("decided_on"))["d"],
        AccountabilityCase.objects.aggregate(d=Max("decided_on"))["d"],
        PlanTask.objects.aggregate(d=Max("completed_on"))["d"],
    ]
    assert max(latest) <= data.AS_OF == date(2011, 7, 31)


def test_sections_in_letters_and_assignments_exist():
    assert Section.objects.filter(assignments__isnull=False).exists()
    assert Section.objects.filter(letters__isnull=False).exists()


def test_demo_changes_made_by_demo_users_are_in_the_audit_log():
    # The supervision cycles' own audited rows are checked in tests/inspections/test_demo_cycles.py,
    # the assessment years' (scored through the services) in tests/assessments/test_demo_year.py;
    # here: the recent project activity.
    cycle_models = ContentType.objects.get_for_models(
        SupervisionCycle, Notice, NoticeUnit, SupervisionReport
    ).values()
    activity = AuditLog.objects.exclude(content_type__in=cycle_models).exclude(
        content_type__app_label="assessments"
    )
    rows = {(row.actor_name, row.action) for row in activity}
    assert rows == {("commission", "update"), ("caizheng", "create"), ("commission", "transition")}
    update = activity.get(action="update")
    assert update.changed_fields == ["description"]
    assert "调度会" in update.after["description"]
    assert "调度会" not in update.before["description"]
    transition = (
        Transition.objects.exclude(content_type__in=cycle_models)
        .exclude(content_type__app_label="assessments")
        .get()
    )
    assert (transition.from_state, transition.to_state) == ("submitted", "returned")
    assert transition.actor.username == "commission"
