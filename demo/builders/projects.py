"""The 255 yearly key work projects (125 common, 117 individual, 13
extension) with co-units, targets, the three splits and their shares,
workflow milestones and the ledger."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from demo import data
from demo.context import DemoContext, cap, money
from projects.choices import (
    AssignmentStatus,
    LedgerStatus,
    ProjectCategory,
    ProjectStage,
    SplitKind,
)
from projects.models import (
    Assignment,
    AssignmentShare,
    LedgerEntry,
    LedgerQuantity,
    Milestone,
    Project,
    ProjectCoUnit,
    Target,
)

# (name, stage, month, day, planned progress)
MILESTONES = (
    ("任务分解", ProjectStage.IMPLEMENT, 3, 31, 20),
    ("半年督导", ProjectStage.IMPLEMENT, 6, 30, 50),
    ("季度督查", ProjectStage.IMPLEMENT, 9, 30, 75),
    ("评估验收", ProjectStage.EVALUATE, 11, 30, 95),
    ("总结推广", ProjectStage.PROMOTE, 12, 31, 100),
)


@dataclass
class ProjectSpec:
    category: str
    name: str
    lead: object
    tier: str
    program: str
    mechanisms: tuple
    target_keys: tuple
    co_units: list
    key: tuple | None = None  # same key in consecutive years → copied_from
    brand: object = None
    description: str = ""


def build_projects(ctx: DemoContext, plan_tasks) -> None:
    task_index = {(t.lead_unit_id, t.mechanism_id): t for t in plan_tasks}
    previous: dict = {}
    for year in data.YEARS:
        specs = _year_specs(ctx, year)
        projects = [
            _project(ctx, year, number, spec, previous, task_index)
            for number, spec in enumerate(specs, start=1)
        ]
        Project.objects.bulk_create(projects)
        _project_links(ctx, projects, specs)
        ctx.projects += projects
        previous = {spec.key: p for spec, p in zip(specs, projects, strict=True) if spec.key}
    _targets(ctx)
    _assignments(ctx)
    _shares(ctx)
    _milestones(ctx)
    _ledger(ctx)


# --- What each year's projects are ---------------------------------------------------------


def _year_specs(ctx, year) -> list[ProjectSpec]:
    counts = data.PROJECTS_PER_YEAR[year]
    specs = _common_specs(ctx, counts["common"])
    specs += _brand_specs(ctx)
    specs += _department_specs(ctx, counts["individual"] - len(ctx.counties))
    specs += _extension_specs(ctx, year)
    assert len(specs) == sum(counts.values())
    return specs


def _common_specs(ctx, count) -> list[ProjectSpec]:
    chosen = sorted(ctx.rng.sample(range(len(data.COMMON_THEMES)), count))
    specs = []
    for index in chosen:
        theme, lead_name, program, mechanisms, targets = data.COMMON_THEMES[index]
        lead = ctx.units_by_name[lead_name]
        others = [d for d in ctx.departments if d.pk != lead.pk]
        co_units = ctx.rng.sample(others, ctx.rng.randint(2, 3))
        co_units += ctx.rng.sample(ctx.counties, ctx.rng.randint(1, 2))
        specs.append(
            ProjectSpec(
                category=ProjectCategory.COMMON,
                name=theme,
                lead=lead,
                tier="county" if program == "featured" else "department",
                program=program,
                mechanisms=mechanisms,
                target_keys=targets,
                co_units=co_units,
                key=("common", index),
            )
        )
    return specs


def _brand_specs(ctx) -> list[ProjectSpec]:
    specs = []
    for county in ctx.counties:
        brand = ctx.brands[county.pk]
        specs.append(
            ProjectSpec(
                category=ProjectCategory.INDIVIDUAL,
                name=f"{county.name}“{brand.name}”工作模式深化",
                lead=county,
                tier="county",
                program="featured",
                mechanisms=tuple(ctx.rng.sample(list(ctx.mechanisms), 2)),
                target_keys=tuple(ctx.rng.sample(data.BRAND_TARGETS, ctx.rng.randint(2, 3))),
                co_units=[ctx.commission_office],
                key=("brand", county.pk),
                brand=brand,
                description=brand.description,
            )
        )
    return specs


def _department_specs(ctx, count) -> list[ProjectSpec]:
    chosen = sorted(ctx.rng.sample(range(len(ctx.departments)), count))
    specs = []
    for index in chosen:
        dept = ctx.departments[index]
        topic = data.INDIVIDUAL_TOPICS[index % len(data.INDIVIDUAL_TOPICS)]
        others = [d for d in ctx.departments if d.pk != dept.pk]
        specs.append(
            ProjectSpec(
                category=ProjectCategory.INDIVIDUAL,
                name=f"{dept.name}{topic}",
                lead=dept,
                tier="department",
                program="sunshine",
                mechanisms=tuple(
                    ctx.rng.sample(
                        ["institution", "prevention", "long_term"], ctx.rng.randint(1, 2)
                    )
                ),
                target_keys=tuple(ctx.rng.sample(data.INDIVIDUAL_TARGETS, ctx.rng.randint(1, 3))),
                co_units=ctx.rng.sample(others, ctx.rng.randint(0, 2)),
                key=("individual", dept.pk),
            )
        )
    return specs


def _extension_specs(ctx, year) -> list[ProjectSpec]:
    helpers = [ctx.units_by_name[n] for n in ("市行政服务中心", "市民政局", "市农业局")]
    specs = []
    for spec_year, theme, lead_name in data.EXTENSION_PROJECTS:
        if spec_year != year:
            continue
        lead = ctx.units_by_name[lead_name]
        specs.append(
            ProjectSpec(
                category=ProjectCategory.EXTENSION,
                name=theme,
                lead=lead,
                tier="grassroots",
                program="grassroots",
                mechanisms=("long_term", ctx.rng.choice(["prevention", "self_discipline"])),
                target_keys=tuple(ctx.rng.sample(data.EXTENSION_TARGETS, ctx.rng.randint(2, 3))),
                co_units=ctx.rng.sample([h for h in helpers if h != lead], ctx.rng.randint(1, 2)),
            )
        )
    return specs


# --- Rows -------------------------------------------------------------------------------


def _stage(ctx, year) -> str:
    if year <= 2009:
        return ProjectStage.PROMOTE if ctx.chance(0.8) else ProjectStage.EVALUATE
    if year == 2010:
        return ProjectStage.EVALUATE if ctx.chance(0.6) else ProjectStage.PROMOTE
    return ProjectStage.IMPLEMENT if ctx.chance(0.92) else ProjectStage.ESTABLISH


def _project(ctx, year, number, spec: ProjectSpec, previous, task_index) -> Project:
    start = ctx.between(date(year, 1, 5), date(year, 2, 20))
    co_names = "、".join(u.name for u in spec.co_units) or "相关单位"
    task = next(
        (
            task_index[(spec.lead.pk, ctx.mechanisms[m].pk)]
            for m in spec.mechanisms
            if (spec.lead.pk, ctx.mechanisms[m].pk) in task_index
        ),
        None,
    )
    description = spec.description or (
        f"按照市委《实施细则》和{year}年惩防体系建设工作要点,由{spec.lead.name}牵头、"
        f"{co_names}协办,推进{spec.name}工作。项目实行挂图作业,按月报送项目管理台账。"
    )
    stage = _stage(ctx, year)
    project = Project(
        code=ctx.uuid(),
        number=f"{year}-{number:03d}",
        year=year,
        name=f"{year}年{spec.name}",
        category=spec.category,
        tier=ctx.tiers[spec.tier],
        program=ctx.programs[spec.program],
        brand_model=spec.brand,
        plan_task=task,
        copied_from=previous.get(spec.key),
        lead_unit=spec.lead,
        responsible_official=ctx.heads.get(spec.lead.pk),
        description=description,
        stage=stage,
        start_date=start,
        end_date=date(year, 12, 31),
    )
    if stage == ProjectStage.PROMOTE:
        project.promotion_note = f"{spec.name}的做法在全市推广,形成可复制的工作经验。"
    return project


def _project_links(ctx, projects, specs) -> None:
    co_links, mechanism_links = [], []
    through = Project.mechanisms.through
    for project, spec in zip(projects, specs, strict=True):
        co_links += [ProjectCoUnit(project=project, unit=unit) for unit in spec.co_units]
        mechanism_links += [
            through(project_id=project.pk, mechanism_id=ctx.mechanisms[code].pk)
            for code in spec.mechanisms
        ]
        project._demo_spec = spec
    ProjectCoUnit.objects.bulk_create(co_links)
    through.objects.bulk_create(mechanism_links)


def _target_value(ctx, key) -> Decimal:
    _description, measure, low, high = data.TARGETS[key]
    if measure == "%":
        return Decimal(ctx.rng.choice([v for v in (90, 95, 98, 100) if low <= v <= high] or [high]))
    return Decimal(ctx.rng.randint(low, high))


def _targets(ctx) -> None:
    rows = []
    for project in ctx.projects:
        for order, key in enumerate(project._demo_spec.target_keys, start=1):
            description, measure, _low, _high = data.TARGETS[key]
            target = Target(
                project=project,
                description=description,
                measure_unit=measure,
                target_value=_target_value(ctx, key),
                due_date=project.end_date,
                sort_order=order,
            )
            rows.append(target)
            ctx.targets[project.pk].append(target)
    Target.objects.bulk_create(rows)


# --- The three splits -------------------------------------------------------------------


def _assignment(ctx, project, kind, unit, content, section=None) -> Assignment:
    official = ctx.chiefs.get(section.pk) if section else ctx.heads.get(unit.pk)
    deadline = ctx.between(date(project.year, 6, 30), project.end_date)
    done = project.year < 2011 or (deadline < data.AS_OF and ctx.chance(0.6))
    return Assignment(
        project=project,
        kind=kind,
        assignee_unit=unit,
        section=section,
        content=content,
        responsible_official=official,
        responsible_person=official.name if official else "",
        deadline=deadline,
        status=AssignmentStatus.COMPLETED if done else AssignmentStatus.OPEN,
    )


def _project_assignments(ctx, project) -> list[Assignment]:
    spec = project._demo_spec
    lead = project.lead_unit
    rows = []
    sections = ctx.sections.get(lead.pk, [])
    for section in ctx.rng.sample(sections, min(len(sections), ctx.rng.randint(1, 2))):
        aspect = ctx.rng.choice(data.INNER_ASPECTS)
        content = f"{section.name}负责{spec.name}的{aspect}"
        rows.append(_assignment(ctx, project, SplitKind.INNER, lead, content, section))
    for unit in spec.co_units:
        content = f"{unit.name}{ctx.rng.choice(data.OUTER_ASPECTS)},完成分担的{spec.name}目标"
        rows.append(_assignment(ctx, project, SplitKind.OUTER, unit, content))
    below = ctx.subordinates.get(lead.pk, [])
    if below:
        for unit in ctx.rng.sample(below, min(len(below), ctx.rng.randint(2, 4))):
            content = f"在{unit.name}组织实施{spec.name},完成下分的年度目标"
            rows.append(_assignment(ctx, project, SplitKind.DOWNWARD, unit, content))
    return rows


def _assignments(ctx) -> None:
    rows = []
    for project in ctx.projects:
        project_rows = _project_assignments(ctx, project)
        ctx.assignments[project.pk] = project_rows
        rows += project_rows
    Assignment.objects.bulk_create(rows)


def _split_percent(ctx, total: int, parts: int) -> list[int]:
    """Split `total` percent into `parts` multiples of 5, each at least 5."""
    parts = min(parts, total // 5)
    shares = [5] * parts
    for _ in range((total - 5 * parts) // 5):
        shares[ctx.rng.randrange(parts)] += 5
    return shares


def _shares(ctx) -> None:
    rows = []
    for project in ctx.projects:
        assignments = ctx.assignments[project.pk]
        for target in ctx.targets[project.pk]:
            total = 100 if ctx.chance(0.8) else ctx.rng.choice((80, 90))
            split = _split_percent(ctx, total, len(assignments))
            target._demo_shares = []
            for assignment, percent in zip(assignments, split, strict=False):
                share = AssignmentShare(
                    assignment=assignment, target=target, share_percent=Decimal(percent)
                )
                rows.append(share)
                target._demo_shares.append(share)
    AssignmentShare.objects.bulk_create(rows)


# --- Chart and ledger ---------------------------------------------------------------------


def _milestones(ctx) -> None:
    rows = []
    for project in ctx.projects:
        rows.append(
            _milestone(
                ctx,
                project,
                "项目立项",
                ProjectStage.ESTABLISH,
                10,
                project.start_date + timedelta(days=7),
            )
        )
        for name, stage, month, day, progress in MILESTONES:
            rows.append(
                _milestone(ctx, project, name, stage, progress, date(project.year, month, day))
            )
    Milestone.objects.bulk_create(rows)


def _milestone(ctx, project, name, stage, progress, planned) -> Milestone:
    reached = planned <= data.AS_OF and not (
        project.stage == ProjectStage.ESTABLISH and stage != ProjectStage.ESTABLISH
    )
    actual = cap(planned + timedelta(days=ctx.rng.randint(-3, 8))) if reached else None
    return Milestone(
        project=project,
        name=name,
        stage=stage,
        planned_date=planned,
        planned_progress=progress,
        actual_date=actual,
    )


def _achieved_ratio(ctx, project) -> float:
    if project.stage == ProjectStage.ESTABLISH:
        return ctx.rng.uniform(0.05, 0.15)
    if project.year == 2011:
        return ctx.rng.uniform(0.35, 0.7)
    return ctx.rng.uniform(0.85, 0.99) if ctx.chance(0.1) else ctx.rng.uniform(1.0, 1.1)


def _quantity(value: float, measure: str) -> Decimal:
    return money(value) if measure == "%" else money(round(value))


@dataclass
class Report:
    """One progress report of a unit on a project (and maybe an assignment)."""

    project: Project
    unit: object
    assignment: Assignment | None
    day: date
    progress: int
    amounts: dict  # target → quantity achieved in this report


class LedgerWriter:
    """Turns reports into ledger entries with their quantities: verified, or
    returned and then resubmitted, or (the most recent) still submitted."""

    def __init__(self, ctx):
        self.ctx = ctx
        self.entries: list[LedgerEntry] = []
        self.quantities: list[LedgerQuantity] = []
        self.reviewer = ctx.users["commission"]

    def add(self, report: Report) -> None:
        ctx = self.ctx
        content = ctx.rng.choice(data.LEDGER_TEXTS)
        if report.day > date(2011, 6, 30):
            self._entry(report, content, LedgerStatus.SUBMITTED)
        elif ctx.chance(0.04):
            comment = ctx.rng.choice(data.RETURN_COMMENTS)
            self._entry(report, content, LedgerStatus.RETURNED, comment)
            later = replace(report, day=cap(report.day + timedelta(days=ctx.rng.randint(5, 15))))
            self._entry(later, f"补充佐证材料后重新报送:{content}", LedgerStatus.VERIFIED)
        else:
            self._entry(report, content, LedgerStatus.VERIFIED)

    def _entry(self, report: Report, content: str, status: str, comment: str = "") -> None:
        ctx = self.ctx
        reviewed = status in (LedgerStatus.VERIFIED, LedgerStatus.RETURNED)
        review_day = cap(report.day + timedelta(days=ctx.rng.randint(2, 10)))
        entry = LedgerEntry(
            code=ctx.uuid(),
            project=report.project,
            assignment=report.assignment,
            unit=report.unit,
            entry_date=report.day,
            content=content,
            progress_percent=report.progress,
            status=status,
            author=ctx.editors.get(report.unit.pk),
            reviewer=self.reviewer if reviewed else None,
            reviewed_at=ctx.moment(review_day) if reviewed else None,
            review_comment=comment,
        )
        self.entries.append(entry)
        self.quantities += [
            LedgerQuantity(entry=entry, target=target, quantity=amount)
            for target, amount in report.amounts.items()
            if amount > 0
        ]

    def save(self) -> None:
        for entry in self.entries:
            stats = self.ctx.ledger_stats[(entry.unit_id, entry.project.year)]
            stats[0] += entry.status == LedgerStatus.VERIFIED
            stats[1] += 1
        LedgerEntry.objects.bulk_create(self.entries)
        LedgerQuantity.objects.bulk_create(self.quantities)


def _entry_days(ctx, start: date, end: date, count: int) -> list[date]:
    end = cap(end)
    return sorted(ctx.between(start, end) for _ in range(count))


def _ledger(ctx) -> None:
    writer = LedgerWriter(ctx)
    for project in ctx.projects:
        ratio = project._demo_ratio = _achieved_ratio(ctx, project)
        first_day = project.start_date + timedelta(days=10)
        # Each assignment reports its share of every target …
        for assignment in ctx.assignments[project.pk]:
            days = _entry_days(ctx, first_day, assignment.deadline, ctx.rng.randint(1, 2))
            _report(
                writer, project, assignment, days, ratio, lambda t, a=assignment: _share_of(t, a)
            )
        # … and the lead unit the part it kept, with the overall progress.
        days = _entry_days(ctx, first_day, project.end_date, ctx.rng.randint(2, 3))
        _report(writer, project, None, days, ratio, lambda t: 1 - _assigned(t))
    writer.save()


def _report(writer, project, assignment, days, ratio, part) -> None:
    """Reports on `days` that together achieve `ratio` of `part(target)` of each target."""
    unit = assignment.assignee_unit if assignment else project.lead_unit
    for step, day in enumerate(days, start=1):
        amounts = {
            t: _quantity(part(t) * float(t.target_value) * ratio / len(days), t.measure_unit)
            for t in writer.ctx.targets[project.pk]
        }
        progress = min(100, round(100 * ratio * step / len(days)))
        writer.add(Report(project, unit, assignment, day, progress, amounts))


def _share_of(target, assignment) -> float:
    for share in target._demo_shares:
        if share.assignment is assignment:
            return float(share.share_percent) / 100
    return 0.0


def _assigned(target) -> float:
    return sum(float(s.share_percent) for s in target._demo_shares) / 100
