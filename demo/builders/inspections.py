"""Supervision cycles, 72 routine and 4 concentrated inspections with their
findings and rectifications, the notices that name 35 units critically,
supervision letters (督办函) to lagging units, and joint meetings; then the
escalation ladder around them: the reminders (催办) that led to the letters
and those still open, the units' written replies (some returned first),
overdue letters escalated to interviews (约谈), the quarterly inspection
plans and the joint meetings' action items."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import date, timedelta

from demo import data
from demo.context import DemoContext, cap
from inspections.choices import (
    ActionItemStatus,
    CycleKind,
    CycleStatus,
    FindingStatus,
    InspectionKind,
    InterviewStatus,
    LetterReason,
    LetterStatus,
    NoticeKind,
    NoticeStatus,
    PlanStatus,
    ReminderStatus,
    Severity,
)
from inspections.models import (
    Finding,
    Inspection,
    InspectionPlan,
    Interview,
    JointMeeting,
    LetterReply,
    MeetingActionItem,
    Notice,
    NoticeUnit,
    Rectification,
    SupervisionCycle,
    SupervisionLetter,
    SupervisionReminder,
)
from inspections.selectors import lagging_subjects
from inspections.services.letters import LETTER_NUMBER_PREFIX
from inspections.services.rules import subject_key
from projects.choices import ProjectStage

UNITS_NOTIFIED = 35
ROUTINE_PER_QUARTER = 6  # 12 quarters (2008-Q3 … 2011-Q2) × 6 = 72
QUARTERS = [(2008, 3), (2008, 4)] + [(y, q) for y in (2009, 2010) for q in (1, 2, 3, 4)]
QUARTERS += [(2011, 1), (2011, 2)]
# (cycle kind, period, started_on, title)
CONCENTRATED = (
    (CycleKind.ANNUAL, "2008", date(2008, 12, 8), "2008年度惩防体系建设集中督查"),
    (CycleKind.ANNUAL, "2009", date(2009, 12, 7), "2009年度惩防体系建设集中督查"),
    (CycleKind.ANNUAL, "2010", date(2010, 12, 6), "2010年度惩防体系建设集中督查"),
    (CycleKind.SEMIANNUAL, "2011-H1", date(2011, 6, 13), "2011年上半年惩防体系建设集中督查"),
)
PRAISE = "项目推进有力,台账规范,量化目标按期完成"


def build_inspections(ctx: DemoContext) -> None:
    _cycles(ctx)
    inspections = _routine(ctx) + _concentrated(ctx)
    _findings(ctx, inspections)
    _notices(ctx, inspections)
    _supervision_letters(ctx)
    _joint_meetings(ctx)
    _ladder(ctx, inspections)


# --- Cycles ---------------------------------------------------------------------------------


def _quarter_bounds(year, quarter) -> tuple[date, date]:
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, end - timedelta(days=1)


def _cycles(ctx) -> None:
    rows = []
    for year, quarter in QUARTERS:
        start, end = _quarter_bounds(year, quarter)
        rows.append((CycleKind.QUARTERLY, f"{year}-Q{quarter}", start, end))
    for year, half in [(2008, 2), (2009, 1), (2009, 2), (2010, 1), (2010, 2), (2011, 1)]:
        start = date(year, 1 if half == 1 else 7, 1)
        end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
        rows.append((CycleKind.SEMIANNUAL, f"{year}-H{half}", start, end))
    for year in (2008, 2009, 2010):
        rows.append((CycleKind.ANNUAL, str(year), date(year, 1, 1), date(year, 12, 31)))
    for month in range(1, 8):
        end = date(2011, month + 1, 1) - timedelta(days=1)
        rows.append((CycleKind.MONTHLY, f"2011-{month:02d}", date(2011, month, 1), end))
    cycles = [
        SupervisionCycle(
            kind=kind,
            period=period,
            period_start=start,
            period_end=end,
            status=CycleStatus.CLOSED if end < data.AS_OF else CycleStatus.OPEN,
        )
        for kind, period, start, end in rows
    ]
    SupervisionCycle.objects.bulk_create(cycles)
    ctx.cycles = {(c.kind, c.period): c for c in cycles}


def _cycle_on(ctx, day: date):
    quarter = (day.month - 1) // 3 + 1
    return ctx.cycles.get((CycleKind.QUARTERLY, f"{day.year}-Q{quarter}"))


# --- Inspections ------------------------------------------------------------------------------


def _commission_team(ctx) -> list:
    office = ctx.commission_office
    return [ctx.chiefs[s.pk] for s in ctx.sections[office.pk] if s.pk in ctx.chiefs]


def _leads_of(ctx, year) -> list:
    return sorted({p.lead_unit for p in ctx.all_projects_of_year(year)}, key=lambda u: u.code)


def _routine(ctx) -> list[Inspection]:
    team = _commission_team(ctx)
    leaders = [ctx.deputies[ctx.commission_office.pk], *team[:2]]
    inspections = []
    for year, quarter in QUARTERS:
        start, end = _quarter_bounds(year, quarter)
        leads = _leads_of(ctx, year)
        for group in range(1, ROUTINE_PER_QUARTER + 1):
            units = ctx.rng.sample(leads, ctx.rng.randint(2, 4))
            if ctx.chance(0.3):
                units.append(ctx.rng.choice(ctx.townships))
            started = ctx.between(start + timedelta(days=7), end - timedelta(days=10))
            inspection = Inspection(
                kind=InspectionKind.ROUTINE,
                title=f"{year}年第{quarter}季度惩防体系建设项目日常督查(第{group}组)",
                cycle=ctx.cycles[(CycleKind.QUARTERLY, f"{year}-Q{quarter}")],
                started_on=started,
                ended_on=started + timedelta(days=ctx.rng.randint(0, 2)),
                team_leader=ctx.rng.choice(leaders).name,
                team="、".join(o.name for o in ctx.rng.sample(team, min(2, len(team)))),
                summary=_summary(units),
            )
            inspection._demo_units = units
            inspections.append(inspection)
    Inspection.objects.bulk_create(inspections)
    _link_units(inspections)
    return inspections


def _concentrated(ctx) -> list[Inspection]:
    team = _commission_team(ctx)
    inspections = []
    for kind, period, started, title in CONCENTRATED:
        departments = [u for u in _leads_of(ctx, started.year) if u in ctx.departments]
        units = list(ctx.counties) + ctx.rng.sample(departments, min(25, len(departments)))
        inspection = Inspection(
            kind=InspectionKind.CONCENTRATED,
            title=title,
            cycle=ctx.cycles[(kind, period)],
            started_on=started,
            ended_on=started + timedelta(days=ctx.rng.randint(8, 12)),
            team_leader=data.SECRETARY_NAME,
            team="、".join(o.name for o in team),
            summary=_summary(units),
        )
        inspection._demo_units = units
        inspections.append(inspection)
    Inspection.objects.bulk_create(inspections)
    _link_units(inspections)
    return inspections


def _summary(units) -> str:
    names = "、".join(u.name for u in units[:6]) + ("等单位" if len(units) > 6 else "")
    return (
        f"督查组采取听取汇报、查阅台账、实地察看、个别谈话等方式,对{names}"
        "惩防体系建设项目推进情况进行了督查。"
    )


def _link_units(inspections) -> None:
    through = Inspection.units.through
    through.objects.bulk_create(
        [
            through(inspection_id=inspection.pk, unit_id=unit.pk)
            for inspection in inspections
            for unit in inspection._demo_units
        ]
    )


# --- Findings and rectifications ----------------------------------------------------------------


def _findings(ctx, inspections) -> None:
    projects_by_lead = defaultdict(list)
    for project in ctx.projects:
        projects_by_lead[(project.lead_unit_id, project.year)].append(project)
    findings = []
    for inspection in inspections:
        concentrated = inspection.kind == InspectionKind.CONCENTRATED
        units = inspection._demo_units
        chosen = (
            ctx.rng.sample(units, 12) if concentrated else [u for u in units if ctx.chance(0.4)]
        )
        for unit in chosen:
            projects = projects_by_lead.get((unit.pk, inspection.started_on.year), [])
            findings.append(_finding(ctx, inspection, unit, projects))
    Finding.objects.bulk_create(findings)
    _rectifications(ctx, findings)
    ctx.findings = findings
    for finding in findings:
        stats = ctx.finding_stats[(finding.unit_id, finding.inspection.started_on.year)]
        stats[0] += finding.status == FindingStatus.VERIFIED
        stats[1] += 1


def _finding(ctx, inspection, unit, projects) -> Finding:
    description, required = ctx.rng.choice(data.FINDINGS)
    severity = ctx.rng.choices(
        [Severity.MINOR, Severity.GENERAL, Severity.SERIOUS], weights=[3, 6, 2]
    )[0]
    deadline = inspection.ended_on + timedelta(days=30)
    if deadline + timedelta(days=30) < data.AS_OF:
        status = FindingStatus.VERIFIED
    else:
        status = ctx.rng.choice(
            [
                FindingStatus.OPEN,
                FindingStatus.RECTIFYING,
                FindingStatus.SUBMITTED,
                FindingStatus.RETURNED,
            ]
        )
    closed = ctx.between(inspection.ended_on + timedelta(days=10), deadline)
    return Finding(
        inspection=inspection,
        unit=unit,
        project=ctx.rng.choice(projects) if projects else None,
        description=description,
        severity=severity,
        required_rectification=required,
        deadline=deadline,
        status=status,
        closed_on=closed if status == FindingStatus.VERIFIED else None,
    )


def _rectifications(ctx, findings) -> None:
    rows = []
    for finding in findings:
        editor = ctx.editors.get(finding.unit_id)
        ended = finding.inspection.ended_on
        text = f"针对“{finding.description}”,已{finding.required_rectification}。"
        if finding.status == FindingStatus.VERIFIED:
            accepted_on = ctx.between(ended + timedelta(days=3), finding.closed_on)
            if ctx.chance(0.1):
                first = ctx.between(ended + timedelta(days=1), accepted_on)
                rows.append(
                    _rectification(
                        finding, text, editor, first, False, "整改措施不具体,请补充整改台账"
                    )
                )
            rows.append(
                _rectification(finding, text, editor, accepted_on, True, "整改到位,同意销号")
            )
        elif finding.status in (FindingStatus.SUBMITTED, FindingStatus.RETURNED):
            submitted = cap(ended + timedelta(days=ctx.rng.randint(7, 25)))
            returned = finding.status == FindingStatus.RETURNED
            comment = "整改不彻底,请继续整改后重新报送" if returned else ""
            rows.append(
                _rectification(
                    finding, text, editor, submitted, False if returned else None, comment
                )
            )
    Rectification.objects.bulk_create(rows)


def _rectification(finding, text, editor, submitted, accepted, comment) -> Rectification:
    return Rectification(
        finding=finding,
        description=text,
        submitted_by=editor,
        submitted_on=submitted,
        review_comment=comment,
        accepted=accepted,
    )


# --- Notices ----------------------------------------------------------------------------------


class NoticeNumbers:
    """萍惩防通〔year〕n号, numbered per year of issue."""

    def __init__(self):
        self.used: dict[int, int] = {}

    def next(self, day: date) -> str:
        self.used[day.year] = self.used.get(day.year, 0) + 1
        return f"萍惩防通〔{day.year}〕{self.used[day.year]}号"


def _criticised_pool(ctx) -> list:
    """The 35 units the notices name critically: chosen among units with findings."""
    with_findings = sorted({f.unit for f in ctx.findings}, key=lambda u: u.code)
    assert len(with_findings) >= UNITS_NOTIFIED, "too few units with findings"
    return sorted(ctx.rng.sample(with_findings, UNITS_NOTIFIED), key=lambda u: u.code)


def _notices(ctx, inspections) -> None:
    pool = set(_criticised_pool(ctx))
    by_cycle = defaultdict(list)
    for finding in ctx.findings:
        by_cycle[finding.inspection.cycle_id].append(finding)
    numbers = NoticeNumbers()
    plans = []  # (notice, [(unit, is_criticism, reason)])
    for cycle in sorted(ctx.cycles.values(), key=lambda c: (c.period_end, c.kind)):
        cycle_inspections = [i for i in inspections if i.cycle_id == cycle.pk]
        if cycle_inspections:
            plans.append(
                _inspection_notice(ctx, cycle, cycle_inspections, by_cycle[cycle.pk], pool, numbers)
            )
        elif cycle.kind == CycleKind.MONTHLY and cycle.period_end < data.AS_OF:
            plans.append(_monthly_notice(ctx, cycle, pool, numbers))
    Notice.objects.bulk_create([notice for notice, _named in plans])
    NoticeUnit.objects.bulk_create(
        [
            NoticeUnit(notice=notice, unit=unit, is_criticism=critical, reason=reason)
            for notice, named in plans
            for unit, critical, reason in named
        ]
    )


def _issue_day(ctx, cycle) -> date:
    return cap(cycle.period_end + timedelta(days=ctx.rng.randint(8, 20)))


def _inspection_notice(ctx, cycle, inspections, findings, pool, numbers):
    issued = _issue_day(ctx, cycle)
    named, seen = [], set()
    for finding in findings:
        if finding.unit in pool and finding.unit not in seen:
            seen.add(finding.unit)
            reason = f"{finding.description}。整改要求:{finding.required_rectification}。"
            named.append((finding.unit, True, reason))
    inspected = sorted({u for i in inspections for u in i._demo_units}, key=lambda u: u.code)
    found = {f.unit for f in findings}
    praised = [u for u in inspected if u not in found]
    named += [(u, False, PRAISE) for u in ctx.rng.sample(praised, min(3, len(praised)))]
    label = _period_label(cycle)
    notice = Notice(
        code=ctx.uuid(),
        cycle=cycle,
        kind=NoticeKind.INSPECTION,
        number=numbers.next(issued),
        title=f"关于{label}惩防体系建设项目督查情况的通报",
        body=(
            f"{label},市纪委惩防办对{len(inspected)}个单位的惩防体系建设项目推进情况进行了督查,"
            f"发现问题{len(findings)}个。现将督查情况通报如下:对工作推进有力的单位予以表扬;"
            "对存在问题的单位提出批评,限期整改到位,整改情况书面报市纪委惩防办。"
        ),
        issued_on=issued,
        status=NoticeStatus.PUBLISHED,
    )
    return notice, named


def _monthly_notice(ctx, cycle, pool, numbers):
    issued = _issue_day(ctx, cycle)
    year, month = cycle.period.split("-")
    lagging = ctx.rng.sample(sorted(pool, key=lambda u: u.code), ctx.rng.randint(1, 2))
    good = [u for u in ctx.departments if u not in pool]
    named = [(u, True, "项目台账未按月报送,进度滞后于时间节点") for u in lagging]
    named += [(u, False, PRAISE) for u in ctx.rng.sample(good, 2)]
    notice = Notice(
        code=ctx.uuid(),
        cycle=cycle,
        kind=NoticeKind.MONTHLY,
        number=numbers.next(issued),
        title=f"{year}年{int(month)}月惩防体系建设项目进展情况通报",
        body="现将本月各牵头单位项目推进和台账报送情况通报如下。",
        issued_on=issued,
        status=NoticeStatus.PUBLISHED,
    )
    return notice, named


def _period_label(cycle) -> str:
    year, _sep, part = cycle.period.partition("-")
    if cycle.kind == CycleKind.QUARTERLY:
        return f"{year}年第{part[1]}季度"
    if cycle.kind == CycleKind.SEMIANNUAL:
        return f"{year}年{'上' if part == 'H1' else '下'}半年"
    return f"{year}年度"


# --- Supervision letters and joint meetings -------------------------------------------------------


def _supervision_letters(ctx) -> None:
    lagging = [
        p
        for p in ctx.projects
        if p.stage == ProjectStage.ESTABLISH or (p.year < 2011 and p._demo_ratio < 1.0)
    ]
    lagging = sorted(ctx.rng.sample(lagging, min(18, len(lagging))), key=lambda p: p.number)
    overdue = [
        f for f in ctx.findings if f.status != FindingStatus.VERIFIED and f.deadline < data.AS_OF
    ][:6]
    letters = [_letter_for_project(ctx, p) for p in lagging]
    letters += [_letter_for_finding(ctx, f) for f in overdue]
    letters.sort(key=lambda letter: letter.issued_on)
    counters: dict[int, int] = {}
    for letter in letters:
        year = letter.issued_on.year
        counters[year] = counters.get(year, 0) + 1
        letter.number = f"{LETTER_NUMBER_PREFIX}〔{year}〕{counters[year]}号"
        letter.subject_key = subject_key(
            project=letter.project, assignment=letter.assignment, finding=letter.finding
        )
        letter.cycle = _cycle_on(ctx, letter.issued_on)
        _answer(ctx, letter)
    SupervisionLetter.objects.bulk_create(letters)
    ctx.letters = letters


def _letter_for_project(ctx, project) -> SupervisionLetter:
    if project.year == 2011:
        issued = ctx.between(date(2011, 4, 15), date(2011, 6, 30))
    else:
        issued = ctx.between(date(project.year, 9, 1), date(project.year, 11, 30))
    open_parts = [a for a in ctx.assignments[project.pk] if a.deadline >= issued]
    return SupervisionLetter(
        code=ctx.uuid(),
        title=f"关于加快推进“{project.name}”项目的督办函",
        unit=project.lead_unit,
        project=project,
        assignment=open_parts[0] if open_parts else None,
        reason=LetterReason.LAGGING_PROJECT,
        items=(
            "一、项目进度滞后于工作流程图确定的时间节点,量化目标完成率偏低;"
            "二、项目管理台账未按月报送。请于回复时限前书面报告整改措施和进展,"
            "逾期未完成的,将予以通报并约谈主要负责人。"
        ),
        issued_on=issued,
        reply_deadline=issued + timedelta(days=15),
        status=LetterStatus.ISSUED,
    )


def _letter_for_finding(ctx, finding) -> SupervisionLetter:
    issued = cap(finding.deadline + timedelta(days=ctx.rng.randint(3, 10)))
    return SupervisionLetter(
        code=ctx.uuid(),
        title=f"关于督促{finding.unit.name}限期整改督查发现问题的督办函",
        unit=finding.unit,
        project=finding.project,
        finding=finding,
        reason=LetterReason.OVERDUE_RECTIFICATION,
        items=f"督查发现的“{finding.description}”问题逾期未整改到位,请于回复时限前整改并书面报告。",
        issued_on=issued,
        reply_deadline=issued + timedelta(days=10),
        status=LetterStatus.ISSUED,
    )


def _answer(ctx, letter) -> None:
    replied = letter.issued_on + timedelta(days=ctx.rng.randint(5, 14))
    if replied > data.AS_OF:
        return
    letter.reply = "已召开专题会议研究整改措施,明确责任领导和责任人,相关工作已按要求推进。"
    letter.replied_on = replied
    old = replied + timedelta(days=30) < data.AS_OF
    letter.status = LetterStatus.CLOSED if old else LetterStatus.ANSWERED


def _joint_meetings(ctx) -> None:
    days = [
        date(2008, 5, 16),
        date(2008, 11, 14),
        date(2009, 4, 17),
        date(2009, 10, 23),
        date(2010, 4, 16),
        date(2010, 10, 22),
        date(2011, 4, 22),
    ]
    meetings, links = [], []
    counters: dict[int, int] = {}
    through = JointMeeting.units.through
    for day in days:
        counters[day.year] = counters.get(day.year, 0) + 1
        meeting = JointMeeting(
            title=f"{day.year}年第{counters[day.year]}次惩防体系建设联席会议",
            held_on=day,
            host_unit=ctx.commission_office,
            minutes="通报项目推进情况,听取牵头单位和协办单位工作汇报,研究解决项目推进中的问题。",
            decisions="一、进度滞后的项目由牵头单位制定赶进度措施;二、协办单位按月报送配合情况。",
        )
        meeting._demo_units = ctx.rng.sample(_leads_of(ctx, day.year), 10)
        meetings.append(meeting)
    JointMeeting.objects.bulk_create(meetings)
    for meeting in meetings:
        links += [through(jointmeeting_id=meeting.pk, unit_id=u.pk) for u in meeting._demo_units]
    through.objects.bulk_create(links)


# --- The escalation ladder, plans and meeting items (own RNG: the builders after
# this one draw from ctx.rng and must see the same sequence as before) ----------------------

LADDER_SEED = data.SEED * 7 + 4
OPEN_REMINDERS = 12  # as of AS_OF: 8 waiting for the commission, 4 sent
FIRST_REPLY = "已召开专题会议研究,正在制定整改措施。"
RETURN_COMMENT = "回复未说明具体措施、责任人和完成时限,请补充后重新报送。"
ACCEPT_COMMENT = "回复属实,措施具体,同意办结。"
INTERVIEW_MINUTES = (
    "约谈指出该单位对督办事项重视不够、逾期未回复;单位主要负责人作了情况说明,"
    "表示接受批评,立即组织整改。"
)
INTERVIEW_COMMITMENTS = "一周内书面回复督办函,一个月内完成整改并报送台账和佐证材料。"
ACTION_ITEMS = (
    "制定进度滞后项目的赶进度措施,明确责任领导和完成时限",
    "按月报送协办任务完成情况和项目管理台账",
    "对照督查发现的问题逐项整改,整改情况书面报市纪委惩防办",
    "完善项目管理工作流程图,补齐时间节点和责任人",
    "组织开展本系统廉政风险防控点排查,更新风险岗位目录",
    "总结推广本单位项目化管理经验做法,形成书面材料",
)


def _ladder(ctx, inspections) -> None:
    rng = random.Random(LADDER_SEED)
    commission = ctx.users.get("commission")
    _letter_replies(ctx, rng, commission)
    lagging = _letter_reminders(ctx, rng)
    _rectification_reviews(ctx, rng, commission)
    _plans(ctx, inspections, lagging)
    _action_items(ctx, rng)


def _letter_replies(ctx, rng, commission) -> None:
    """Replies of answered and closed letters (a quarter of the closed ones
    returned once first); an unanswered letter past its deadline escalated
    to an interview, held when its own deadline is past."""
    replies, interviews, escalated = [], [], []
    deputy = ctx.deputies.get(ctx.commission_office.pk)
    # A few of this year's letters were not answered in time: their units were
    # interviewed (their answers, if any, came after the seed's date).
    recent = [
        letter
        for letter in ctx.letters
        if letter.status in (LetterStatus.ANSWERED, LetterStatus.CLOSED)
        and letter.issued_on.year == data.AS_OF.year
        and letter.reply_deadline < data.AS_OF
    ]
    for letter in rng.sample(recent, min(3, len(recent))):
        letter.status, letter.reply, letter.replied_on = LetterStatus.ISSUED, "", None
    for letter in ctx.letters:
        editor = ctx.editors.get(letter.unit_id)
        if letter.status in (LetterStatus.ANSWERED, LetterStatus.CLOSED):
            closed = letter.status == LetterStatus.CLOSED
            if closed and rng.random() < 0.25:
                first = letter.issued_on + timedelta(days=rng.randint(2, 4))
                if first < letter.replied_on:
                    replies.append(
                        LetterReply(
                            letter=letter,
                            content=FIRST_REPLY,
                            submitted_by=editor,
                            submitted_on=first,
                            accepted=False,
                            review_comment=RETURN_COMMENT,
                            reviewed_by=commission,
                            reviewed_on=min(first + timedelta(days=1), letter.replied_on),
                        )
                    )
            replies.append(
                LetterReply(
                    letter=letter,
                    content=letter.reply,
                    submitted_by=editor,
                    submitted_on=letter.replied_on,
                    accepted=True if closed else None,
                    review_comment=ACCEPT_COMMENT if closed else "",
                    reviewed_by=commission if closed else None,
                    reviewed_on=(
                        cap(letter.replied_on + timedelta(days=rng.randint(3, 10)))
                        if closed
                        else None
                    ),
                )
            )
        elif letter.status == LetterStatus.ISSUED and letter.reply_deadline < data.AS_OF:
            letter.status = LetterStatus.ESCALATED
            escalated.append(letter)
            deadline = letter.reply_deadline + timedelta(days=8)
            held = deadline <= data.AS_OF
            head = ctx.heads.get(letter.unit_id)
            interviews.append(
                Interview(
                    letter=letter,
                    unit=letter.unit,
                    status=InterviewStatus.HELD if held else InterviewStatus.SCHEDULED,
                    deadline=deadline,
                    held_on=(
                        letter.reply_deadline + timedelta(days=rng.randint(2, 8)) if held else None
                    ),
                    interviewers=f"{deputy.name}(市纪委副书记)" if held and deputy else "",
                    interviewees=f"{head.name}({head.post})" if held and head else "",
                    minutes=INTERVIEW_MINUTES if held else "",
                    commitments=INTERVIEW_COMMITMENTS if held else "",
                )
            )
    SupervisionLetter.objects.bulk_update(escalated, ["status", "reply", "replied_on"])
    LetterReply.objects.bulk_create(replies)
    Interview.objects.bulk_create(interviews)


def _monthly_cycle(ctx, day):
    return ctx.cycles.get((CycleKind.MONTHLY, f"{day.year}-{day.month:02d}"))


def _letter_reminders(ctx, rng) -> Counter:
    """Each letter came from a reminder; a few reminders are still open on
    AS_OF. Returns how many lagging subjects each unit has on AS_OF."""
    rows = []
    for letter in ctx.letters:
        proposed = letter.issued_on - timedelta(days=rng.randint(3, 10))
        if letter.finding is not None:
            detail = f"督查发现的问题「{letter.finding.description}」已超过整改时限,尚未整改销号。"
            due = letter.finding.deadline
        else:
            detail = f"项目「{letter.project.name}」进度滞后于工作流程图确定的时间节点。"
            due = letter.assignment.deadline if letter.assignment else letter.project.end_date
        rows.append(
            SupervisionReminder(
                unit=letter.unit,
                reason=letter.reason,
                subject_key=letter.subject_key,
                project=letter.project,
                assignment=letter.assignment,
                finding=letter.finding,
                cycle=_monthly_cycle(ctx, proposed),
                detail=detail,
                due_date=due,
                proposed_on=proposed,
                status=ReminderStatus.LETTER,
                letter=letter,
            )
        )
    taken = {(x.unit_id, x.reason, x.subject_key) for x in ctx.letters}
    specs = []
    for spec in lagging_subjects(data.AS_OF):
        key = subject_key(
            project=spec.get("project"),
            assignment=spec.get("assignment"),
            finding=spec.get("finding"),
        )
        if (spec["unit"].pk, spec["reason"], key) not in taken:
            taken.add((spec["unit"].pk, spec["reason"], key))
            specs.append((spec["unit"].path, key, spec))
    specs.sort(key=lambda row: (row[0], row[1]))
    chosen = rng.sample(specs, min(OPEN_REMINDERS, len(specs)))
    lagging = Counter(spec["unit"].pk for _path, _key, spec in specs)
    for index, (_path, key, spec) in enumerate(sorted(chosen, key=lambda row: row[:2])):
        sent = index % 3 == 0
        rows.append(
            SupervisionReminder(
                subject_key=key,
                cycle=_monthly_cycle(ctx, data.AS_OF),
                proposed_on=data.AS_OF,
                status=ReminderStatus.SENT if sent else ReminderStatus.PROPOSED,
                respond_by=data.AS_OF + timedelta(days=10) if sent else None,
                **spec,
            )
        )
    SupervisionReminder.objects.bulk_create(rows)
    return lagging


def _rectification_reviews(ctx, rng, commission) -> None:
    """Who reviewed each rectification report, and when."""
    reviewed = list(Rectification.objects.filter(accepted__isnull=False).select_related("finding"))
    for row in reviewed:
        finding = row.finding
        if row.accepted and finding.closed_on:
            row.reviewed_on = max(finding.closed_on, row.submitted_on)
        else:
            row.reviewed_on = cap(row.submitted_on + timedelta(days=rng.randint(2, 6)))
        row.reviewed_by = commission
    Rectification.objects.bulk_update(reviewed, ["reviewed_on", "reviewed_by"])


def _plans(ctx, inspections, lagging: Counter) -> None:
    """One approved plan per quarter with the units its routine inspections
    covered; the next quarter's plan is a draft of the most lagging units."""
    by_quarter = defaultdict(list)
    for inspection in inspections:
        if inspection.kind == InspectionKind.ROUTINE:
            started = inspection.started_on
            by_quarter[(started.year, (started.month - 1) // 3 + 1)].append(inspection)
    plans = {}
    for year, quarter in QUARTERS:
        plans[(year, quarter)] = InspectionPlan(
            year=year,
            quarter=quarter,
            title=f"{year}年第{quarter}季度惩防体系建设督查计划",
            status=PlanStatus.APPROVED,
            note="重点督查项目推进缓慢、台账不规范和整改不到位的单位。",
        )
    most_lagging = [pk for pk, _count in sorted(lagging.items(), key=lambda x: (-x[1], x[0]))]
    plans[(2011, 3)] = InspectionPlan(
        year=2011,
        quarter=3,
        title="2011年第3季度惩防体系建设督查计划",
        status=PlanStatus.DRAFT,
        note="按滞后项目和逾期问题数量,优先督查排名靠前的单位。",
    )
    InspectionPlan.objects.bulk_create(plans.values())
    through = InspectionPlan.units.through
    links = []
    for key, plan in plans.items():
        if key == (2011, 3):
            unit_ids = most_lagging[:10]
        else:
            unit_ids = sorted({u.pk for i in by_quarter[key] for u in i._demo_units})
            Inspection.objects.filter(pk__in=[i.pk for i in by_quarter[key]]).update(plan=plan)
        links += [through(inspectionplan_id=plan.pk, unit_id=pk) for pk in unit_ids]
    through.objects.bulk_create(links)


def _action_items(ctx, rng) -> None:
    """Three decisions of each joint meeting become items for units present."""
    through = JointMeeting.units.through
    present = defaultdict(list)
    for meeting_id, unit_id in through.objects.order_by("pk").values_list(
        "jointmeeting_id", "unit_id"
    ):
        present[meeting_id].append(unit_id)
    items = []
    for meeting in JointMeeting.objects.order_by("held_on", "pk"):
        for description in rng.sample(ACTION_ITEMS, 3):
            owner = rng.choice(present[meeting.pk])
            due = meeting.held_on + timedelta(days=rng.randint(30, 75))
            done = due + timedelta(days=10) < data.AS_OF and rng.random() < 0.85
            items.append(
                MeetingActionItem(
                    meeting=meeting,
                    description=description,
                    owner_unit_id=owner,
                    due_on=due,
                    status=ActionItemStatus.DONE if done else ActionItemStatus.OPEN,
                    done_on=(
                        cap(meeting.held_on + timedelta(days=rng.randint(15, 80))) if done else None
                    ),
                    done_note="已按会议要求办理完毕,相关材料已报市纪委惩防办。" if done else "",
                )
            )
    MeetingActionItem.objects.bulk_create(items)
