"""factory-boy factories for every model. Units get their tree path through
the same service the application uses. Every factory builds an object that
passes full_clean() (tests/test_factories.py proves it)."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accountability import choices as acc
from accountability.models import (
    AccountabilityCase,
    Commendation,
    LeadingGroup,
    LeadingGroupMember,
    LetterClause,
    Membership,
    Official,
    ResponsibilityLetter,
    RiskControl,
    RiskPoint,
    RiskPost,
    RiskPower,
    Section,
    Unit,
)
from accountability.services import unit_create
from assessments import choices as ass
from assessments.models import (
    AssessmentScheme,
    Indicator,
    Score,
    ScoreSheet,
    UnitAssessment,
)
from inspections import choices as ins
from inspections.models import (
    Finding,
    Inspection,
    JointMeeting,
    Notice,
    NoticeUnit,
    Rectification,
    SupervisionCycle,
    SupervisionLetter,
)
from pingxiang_cf.models import Job, Notification, NotificationVerb
from pingxiang_cf.roles import Role
from projects import choices as prj
from projects.models import (
    Assignment,
    AssignmentShare,
    BrandModel,
    Evidence,
    Framework,
    LedgerEntry,
    LedgerQuantity,
    Mechanism,
    Milestone,
    Plan,
    PlanTask,
    Program,
    Project,
    ProjectCoUnit,
    Target,
    Tier,
)

PASSWORD = "Test-pass-1335"
YEAR = 2024


def _day(month: int, day: int, year: int = YEAR) -> datetime.date:
    return datetime.date(year, month, day)


class _Model(factory.django.DjangoModelFactory):
    """Base for factories with post-generation hooks that save nothing more."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True


def _m2m_hook(attribute: str):
    """A post-generation hook that sets a many-to-many field from a list."""

    def hook(obj, create, extracted, **kwargs):
        if create and extracted:
            getattr(obj, attribute).set(extracted)

    return factory.PostGeneration(hook)


# --- accountability ---------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)
    is_staff = True

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class UnitFactory(factory.django.DjangoModelFactory):
    """Creates through accountability.services.unit_create so `path` is right."""

    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"U{n:05d}")
    name = factory.Sequence(lambda n: f"测试单位{n}")
    tier = acc.UnitTier.DEPARTMENT
    kind = acc.UnitKind.MUNICIPAL_DEPT
    parent = factory.LazyFunction(lambda: city_unit())

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return unit_create(actor=None, **kwargs)


def city_unit() -> Unit:
    """The root of the tree, created once per test database."""
    existing = Unit.objects.filter(parent__isnull=True).first()
    if existing:
        return existing
    return unit_create(
        actor=None,
        code="CITY",
        name="萍乡市",
        tier=acc.UnitTier.CITY,
        kind=acc.UnitKind.CITY,
        parent=None,
    )


class CountyFactory(UnitFactory):
    name = factory.Sequence(lambda n: f"测试县{n}")
    tier = acc.UnitTier.COUNTY
    kind = acc.UnitKind.COUNTY


class TownshipFactory(UnitFactory):
    name = factory.Sequence(lambda n: f"测试镇{n}")
    tier = acc.UnitTier.GRASSROOTS
    kind = acc.UnitKind.TOWNSHIP
    parent = factory.SubFactory(CountyFactory)


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    unit = factory.SubFactory(UnitFactory)
    name = factory.Sequence(lambda n: f"科室{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    role = Role.LEAD_UNIT


class OfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Official

    name = factory.Sequence(lambda n: f"干部{n}")
    unit = factory.SubFactory(UnitFactory)
    post = "局长"
    rank = acc.OfficialRank.COUNTY


class LeadingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeadingGroup

    name = factory.Sequence(lambda n: f"惩防体系建设领导小组{n}")
    unit = factory.SubFactory(UnitFactory)
    established_on = _day(1, 10, 2008)
    office_name = "惩防办"


class LeadingGroupMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LeadingGroupMember

    group = factory.SubFactory(LeadingGroupFactory)
    official = factory.SubFactory(OfficialFactory, unit=factory.SelfAttribute("..group.unit"))
    position = acc.GroupPosition.MEMBER
    start_on = _day(1, 10, 2008)


class ResponsibilityLetterFactory(factory.django.DjangoModelFactory):
    """The commission secretary's letter with a lead unit (city → unit)."""

    class Meta:
        model = ResponsibilityLetter

    year = YEAR
    level = acc.LetterLevel.CITY_TO_LEAD
    title = factory.Sequence(lambda n: f"{YEAR}年度党风廉政建设责任书{n}")
    issuer_unit = factory.LazyFunction(lambda: city_unit())
    recipient_unit = factory.SubFactory(UnitFactory)
    status = acc.LetterStatus.DRAFT


class LetterClauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LetterClause

    letter = factory.SubFactory(ResponsibilityLetterFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = "按期完成年度重点工作项目的量化目标。"


class RiskPostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskPost

    unit = factory.SubFactory(UnitFactory)
    year = YEAR
    name = factory.Sequence(lambda n: f"审批岗{n}")
    oversight_tier = acc.OversightTier.UNIT


class RiskPowerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskPower

    post = factory.SubFactory(RiskPostFactory)
    name = factory.Sequence(lambda n: f"行政许可权{n}")


class RiskPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskPoint

    power = factory.SubFactory(RiskPowerFactory)
    description = "审批中违规放宽条件"
    category = acc.RiskCategory.DUTY
    likelihood = 3
    impact = 4
    level = acc.RiskLevel.MEDIUM


class RiskControlFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RiskControl

    risk_point = factory.SubFactory(RiskPointFactory)
    measure = "实行集体审批,全程留痕。"


class CommendationFactory(factory.django.DjangoModelFactory):
    """A commendation of a unit (pass `unit=None, official=…` for a person)."""

    class Meta:
        model = Commendation

    year = YEAR
    unit = factory.SubFactory(UnitFactory)
    official = None
    source = acc.OutcomeSource.ASSESSMENT
    decided_on = _day(3, 1, YEAR + 1)
    title = "惩防体系建设先进单位"


class AccountabilityCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AccountabilityCase

    year = YEAR
    unit = factory.SubFactory(UnitFactory)
    official = None
    source = acc.OutcomeSource.LETTER
    decided_on = _day(3, 1, YEAR + 1)
    reason = "项目推进不力,督办后仍未整改到位。"
    measure = acc.AccountabilityMeasure.CRITICISM_NOTICE


# --- projects: the framework --------------------------------------------------------


def default_framework() -> Framework:
    """The one framework most tests share (Pingxiang "1335")."""
    framework, _created = Framework.objects.get_or_create(
        code="px1335",
        defaults={"name": "萍乡1335模式", "main_line": "项目化管理、责任制落实"},
    )
    return framework


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Framework

    code = factory.Sequence(lambda n: f"fw{n}")
    name = factory.Sequence(lambda n: f"工作模式{n}")
    main_line = "项目化管理、责任制落实"


class TierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tier

    framework = factory.LazyFunction(default_framework)
    code = factory.Sequence(lambda n: f"tier{n}")
    name = factory.Sequence(lambda n: f"层级{n}")


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    framework = factory.LazyFunction(default_framework)
    code = factory.Sequence(lambda n: f"program{n}")
    name = factory.Sequence(lambda n: f"工程{n}")


class MechanismFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mechanism

    framework = factory.LazyFunction(default_framework)
    code = factory.Sequence(lambda n: f"mechanism{n}")
    name = factory.Sequence(lambda n: f"机制{n}")
    goal = "不敢腐败"


class BrandModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BrandModel

    unit = factory.SubFactory(CountyFactory)
    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"品牌{n}")


# --- projects: plan, projects, splits, ledger ----------------------------------------


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    framework = factory.LazyFunction(default_framework)
    title = factory.Sequence(lambda n: f"惩防体系实施细则和任务分工方案{n}")
    issuer = "中共萍乡市委"
    issued_on = _day(3, 1, 2008)
    period_start = 2008
    period_end = 2012


class PlanTaskFactory(_Model):
    """`co_units=[…]` sets the co-organizing units."""

    class Meta:
        model = PlanTask

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: f"T{n:03d}")
    content = "建立健全廉政风险防控机制"
    lead_unit = factory.SubFactory(UnitFactory)
    mechanism = factory.SubFactory(MechanismFactory)
    deadline = _day(12, 31, 2012)
    status = prj.PlanTaskStatus.PENDING
    completed_on = None

    co_units = _m2m_hook("co_units")


class ProjectFactory(_Model):
    """A common project of YEAR led by a municipal department.
    `co_units=[…]` adds co-organizing units, `mechanisms=[…]` the mechanisms."""

    class Meta:
        model = Project

    number = factory.Sequence(lambda n: f"XM{n:04d}")
    year = YEAR
    name = factory.Sequence(lambda n: f"重点工作项目{n}")
    category = prj.ProjectCategory.COMMON
    tier = factory.SubFactory(TierFactory)
    program = factory.SubFactory(ProgramFactory)
    lead_unit = factory.SubFactory(UnitFactory)
    stage = prj.ProjectStage.IMPLEMENT
    start_date = factory.LazyAttribute(lambda o: datetime.date(o.year, 1, 1))
    end_date = factory.LazyAttribute(lambda o: datetime.date(o.year, 12, 31))

    @factory.post_generation
    def co_units(obj, create, extracted, **kwargs):
        if create and extracted:
            for unit in extracted:
                ProjectCoUnit.objects.create(project=obj, unit=unit)

    mechanisms = _m2m_hook("mechanisms")


class ProjectCoUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectCoUnit

    project = factory.SubFactory(ProjectFactory)
    unit = factory.SubFactory(UnitFactory)


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    project = factory.SubFactory(ProjectFactory)
    description = factory.Sequence(lambda n: f"开展廉政教育{n}")
    measure_unit = "场"
    target_value = Decimal("10")
    due_date = factory.SelfAttribute("project.end_date")


class AssignmentFactory(factory.django.DjangoModelFactory):
    """Shared fields of the three split kinds; use one of the subclasses."""

    class Meta:
        model = Assignment

    project = factory.SubFactory(ProjectFactory)
    content = "按分工完成本部分目标"
    responsible_person = "张三"
    deadline = factory.SelfAttribute("project.end_date")
    status = prj.AssignmentStatus.OPEN


class InnerAssignmentFactory(AssignmentFactory):
    """内分: to a section of the lead unit."""

    kind = prj.SplitKind.INNER
    assignee_unit = factory.SelfAttribute("project.lead_unit")
    section = factory.SubFactory(SectionFactory, unit=factory.SelfAttribute("..assignee_unit"))


class OuterAssignmentFactory(AssignmentFactory):
    """外分: to a co-organizing unit, which is linked to the project if it is not yet."""

    kind = prj.SplitKind.OUTER
    assignee_unit = factory.SubFactory(UnitFactory)
    section = None

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        ProjectCoUnit.objects.get_or_create(project=kwargs["project"], unit=kwargs["assignee_unit"])
        return super()._create(model_class, *args, **kwargs)


class DownwardAssignmentFactory(AssignmentFactory):
    """下分: from a county-led project to a township below it."""

    project = factory.SubFactory(ProjectFactory, lead_unit=factory.SubFactory(CountyFactory))
    kind = prj.SplitKind.DOWNWARD
    assignee_unit = factory.SubFactory(
        TownshipFactory, parent=factory.SelfAttribute("..project.lead_unit")
    )
    section = None


class AssignmentShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssignmentShare

    assignment = factory.SubFactory(InnerAssignmentFactory)
    target = factory.SubFactory(
        TargetFactory, project=factory.SelfAttribute("..assignment.project")
    )
    share_percent = Decimal("50")


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"节点{n}")
    stage = prj.ProjectStage.IMPLEMENT
    planned_date = factory.LazyAttribute(lambda o: datetime.date(o.project.year, 6, 30))
    planned_progress = 50


class LedgerEntryFactory(factory.django.DjangoModelFactory):
    """A ledger entry of the lead unit; pass `assignment=…` for one written by
    the assignee (project and unit then follow the assignment)."""

    class Meta:
        model = LedgerEntry

    assignment = None
    project = factory.Maybe(
        "assignment",
        yes_declaration=factory.SelfAttribute("assignment.project"),
        no_declaration=factory.SubFactory(ProjectFactory),
    )
    unit = factory.Maybe(
        "assignment",
        yes_declaration=factory.SelfAttribute("assignment.assignee_unit"),
        no_declaration=factory.SelfAttribute("project.lead_unit"),
    )
    entry_date = factory.LazyAttribute(lambda o: datetime.date(o.project.year, 5, 31))
    content = "召开专题会议,完成阶段任务。"
    progress_percent = 40
    status = prj.LedgerStatus.DRAFT


class LedgerQuantityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LedgerQuantity

    entry = factory.SubFactory(LedgerEntryFactory)
    target = factory.SubFactory(TargetFactory, project=factory.SelfAttribute("..entry.project"))
    quantity = Decimal("4")


class EvidenceFactory(factory.django.DjangoModelFactory):
    """Points at a stored name; no file is written to disk."""

    class Meta:
        model = Evidence

    entry = factory.SubFactory(LedgerEntryFactory)
    file = factory.Sequence(lambda n: f"evidence/{YEAR}/{n:032x}")
    original_name = "会议纪要.pdf"
    content_type = "application/pdf"
    size = 2048


# --- inspections ---------------------------------------------------------------------


def _month_end(year: int, month: int) -> datetime.date:
    first_next = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first_next - datetime.timedelta(days=1)


class SupervisionCycleFactory(factory.django.DjangoModelFactory):
    """A monthly cycle; each one a new month from January 2011."""

    class Meta:
        model = SupervisionCycle

    class Params:
        month_index = factory.Sequence(lambda n: n)
        cal_year = factory.LazyAttribute(lambda o: 2011 + o.month_index // 12)
        cal_month = factory.LazyAttribute(lambda o: o.month_index % 12 + 1)

    kind = ins.CycleKind.MONTHLY
    period = factory.LazyAttribute(lambda o: f"{o.cal_year}-{o.cal_month:02d}")
    period_start = factory.LazyAttribute(lambda o: datetime.date(o.cal_year, o.cal_month, 1))
    period_end = factory.LazyAttribute(lambda o: _month_end(o.cal_year, o.cal_month))
    status = ins.CycleStatus.OPEN


class NoticeFactory(_Model):
    """A draft notice outside any cycle; `units=[…]` names units (criticised)."""

    class Meta:
        model = Notice

    cycle = None
    kind = ins.NoticeKind.OTHER
    number = factory.Sequence(lambda n: f"萍纪惩防通〔{YEAR}〕{n + 1}号")
    title = "关于惩防体系建设项目推进情况的通报"
    status = ins.NoticeStatus.DRAFT

    @factory.post_generation
    def units(obj, create, extracted, **kwargs):
        if create and extracted:
            for unit in extracted:
                NoticeUnit.objects.create(notice=obj, unit=unit, reason="项目进展滞后")


class NoticeUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NoticeUnit

    notice = factory.SubFactory(NoticeFactory)
    unit = factory.SubFactory(UnitFactory)
    is_criticism = True
    reason = "项目台账更新不及时"


class InspectionFactory(_Model):
    """A routine inspection; `units=[…]` sets the inspected units."""

    class Meta:
        model = Inspection

    kind = ins.InspectionKind.ROUTINE
    title = factory.Sequence(lambda n: f"日常督查{n}")
    started_on = _day(4, 1)
    ended_on = _day(4, 3)
    team_leader = "李四"

    units = _m2m_hook("units")


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Finding

    inspection = factory.SubFactory(InspectionFactory)
    unit = factory.SubFactory(UnitFactory)
    description = "项目台账记录不完整"
    severity = ins.Severity.GENERAL
    required_rectification = "补齐台账并说明原因"
    deadline = _day(5, 31)
    status = ins.FindingStatus.OPEN


class RectificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rectification

    finding = factory.SubFactory(FindingFactory)
    description = "已补齐台账,建立周报制度。"
    submitted_on = _day(5, 20)


class SupervisionLetterFactory(factory.django.DjangoModelFactory):
    """A draft supervision letter to a unit about a lagging project."""

    class Meta:
        model = SupervisionLetter

    number = factory.Sequence(lambda n: f"萍纪惩防督〔{YEAR}〕{n + 1}号")
    title = "关于加快推进重点工作项目的督办函"
    unit = factory.SubFactory(UnitFactory)
    reason = ins.LetterReason.LAGGING_PROJECT
    items = "请于期限内报送整改情况。"
    reply_deadline = _day(7, 15)
    status = ins.LetterStatus.DRAFT


class JointMeetingFactory(_Model):
    """`units=[…]` sets the units present."""

    class Meta:
        model = JointMeeting

    title = factory.Sequence(lambda n: f"惩防体系建设联席会议{n}")
    held_on = _day(6, 18)
    host_unit = factory.SubFactory(UnitFactory)
    decisions = "明确分工,限期推进。"

    units = _m2m_hook("units")


# --- assessments ---------------------------------------------------------------------


class AssessmentSchemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentScheme

    year = factory.Sequence(lambda n: 2010 + n)
    title = factory.LazyAttribute(lambda o: f"{o.year}年度惩防体系建设考核方案")
    status = ass.SchemeStatus.ACTIVE


class IndicatorFactory(factory.django.DjangoModelFactory):
    """A manually scored 10-point indicator."""

    class Meta:
        model = Indicator

    scheme = factory.SubFactory(AssessmentSchemeFactory)
    category = "项目推进"
    code = factory.Sequence(lambda n: f"I{n:03d}")
    name = factory.Sequence(lambda n: f"考核指标{n}")
    max_points = Decimal("10")
    rule_kind = ass.RuleKind.MANUAL


class UnitAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitAssessment

    scheme = factory.SubFactory(AssessmentSchemeFactory)
    unit = factory.SubFactory(UnitFactory)
    status = ass.AssessmentStatus.DRAFT


class ScoreFactory(factory.django.DjangoModelFactory):
    """Full points on an indicator of the assessment's scheme (no deduction)."""

    class Meta:
        model = Score

    assessment = factory.SubFactory(UnitAssessmentFactory)
    indicator = factory.SubFactory(
        IndicatorFactory, scheme=factory.SelfAttribute("..assessment.scheme")
    )
    max_points = factory.SelfAttribute("indicator.max_points")
    points = factory.SelfAttribute("max_points")


class ScoreSheetFactory(factory.django.DjangoModelFactory):
    """A unit's PDF score sheet (the stored name only; no file is written)."""

    class Meta:
        model = ScoreSheet

    scheme = factory.SubFactory(AssessmentSchemeFactory)
    assessment = factory.SubFactory(UnitAssessmentFactory, scheme=factory.SelfAttribute("..scheme"))
    kind = ass.SheetKind.PDF
    file = factory.Sequence(lambda n: f"score-sheets/{YEAR}/sheet-{n}.pdf")


# Which factories build each model (tests/test_factories.py checks that every
# model of the four apps is listed and that each factory builds a valid object).
FACTORIES_BY_MODEL = {
    Unit: (UnitFactory, CountyFactory, TownshipFactory),
    Section: (SectionFactory,),
    Official: (OfficialFactory,),
    Membership: (MembershipFactory,),
    LeadingGroup: (LeadingGroupFactory,),
    LeadingGroupMember: (LeadingGroupMemberFactory,),
    ResponsibilityLetter: (ResponsibilityLetterFactory,),
    LetterClause: (LetterClauseFactory,),
    RiskPost: (RiskPostFactory,),
    RiskPower: (RiskPowerFactory,),
    RiskPoint: (RiskPointFactory,),
    RiskControl: (RiskControlFactory,),
    Commendation: (CommendationFactory,),
    AccountabilityCase: (AccountabilityCaseFactory,),
    Framework: (FrameworkFactory,),
    Tier: (TierFactory,),
    Program: (ProgramFactory,),
    Mechanism: (MechanismFactory,),
    BrandModel: (BrandModelFactory,),
    Plan: (PlanFactory,),
    PlanTask: (PlanTaskFactory,),
    Project: (ProjectFactory,),
    ProjectCoUnit: (ProjectCoUnitFactory,),
    Target: (TargetFactory,),
    Assignment: (InnerAssignmentFactory, OuterAssignmentFactory, DownwardAssignmentFactory),
    AssignmentShare: (AssignmentShareFactory,),
    Milestone: (MilestoneFactory,),
    LedgerEntry: (LedgerEntryFactory,),
    LedgerQuantity: (LedgerQuantityFactory,),
    Evidence: (EvidenceFactory,),
    SupervisionCycle: (SupervisionCycleFactory,),
    Notice: (NoticeFactory,),
    NoticeUnit: (NoticeUnitFactory,),
    Inspection: (InspectionFactory,),
    Finding: (FindingFactory,),
    Rectification: (RectificationFactory,),
    SupervisionLetter: (SupervisionLetterFactory,),
    JointMeeting: (JointMeetingFactory,),
    AssessmentScheme: (AssessmentSchemeFactory,),
    Indicator: (IndicatorFactory,),
    UnitAssessment: (UnitAssessmentFactory,),
    Score: (ScoreFactory,),
    ScoreSheet: (ScoreSheetFactory,),
}


# --- pingxiang_cf: in-app notifications ------------------------------------------------


class NotificationFactory(factory.django.DjangoModelFactory):
    """A notification about a project (pass `target=…` for another object)."""

    class Meta:
        model = Notification
        exclude = ("target",)

    recipient = factory.SubFactory(UserFactory)
    verb = NotificationVerb.ASSIGNED
    message = "项目分解给你单位一项任务。"
    target = factory.SubFactory(ProjectFactory)
    content_type = factory.LazyAttribute(
        lambda o: ContentType.objects.get_for_model(o.target, for_concrete_model=False)
    )
    object_id = factory.LazyAttribute(lambda o: str(o.target.pk))
    day = factory.LazyFunction(timezone.localdate)


class JobFactory(factory.django.DjangoModelFactory):
    """A queued background job started by a user."""

    class Meta:
        model = Job

    kind = "test.job"
    title = factory.Sequence(lambda n: f"测试任务{n}")
    created_by = factory.SubFactory(UserFactory)
