"""Leading groups, responsibility letters (city → lead units signed by the
commission secretary; lead units → subordinate units and sections) with
their clauses, and integrity-risk posts (四分法)."""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from datetime import date, timedelta

from accountability.choices import (
    GroupPosition,
    HandlingCategory,
    LetterLevel,
    LetterStatus,
    OfficialRank,
    OversightTier,
    ReviewStatus,
    RiskCategory,
    RiskLevel,
)
from accountability.models import (
    LeadingGroup,
    LeadingGroupMember,
    LetterClause,
    Official,
    ResponsibilityLetter,
    RiskControl,
    RiskPoint,
    RiskPost,
    RiskPower,
    RiskProcess,
    RiskProcessStep,
    RiskReview,
)
from accountability.services import risk_level
from demo import data
from demo.context import DemoContext

LEADING_GROUP_TOWNSHIPS = 44  # 1 city + 5 counties + 87 departments + 44 townships = 137
MEETING_DAYS = {
    2008: date(2008, 4, 18),
    2009: date(2009, 3, 20),
    2010: date(2010, 3, 12),
    2011: date(2011, 3, 18),
}
CITY_GROUP_MEMBERS = ("市委组织部", "市委宣传部", "市财政局", "市审计局", "市委政法委")


# --- Leading groups -------------------------------------------------------------------------


def build_leading_groups(ctx: DemoContext) -> None:
    townships = sorted(ctx.rng.sample(ctx.townships, LEADING_GROUP_TOWNSHIPS), key=lambda u: u.code)
    groups = [_group(ctx, unit) for unit in [ctx.root, *ctx.counties, *ctx.departments, *townships]]
    LeadingGroup.objects.bulk_create(groups)
    members = []
    for group in groups:
        members += _members(ctx, group)
    members += _office_director_changes(ctx, groups, members)
    LeadingGroupMember.objects.bulk_create(members)


# Office directors who changed (the history of a group): in these county
# groups the 惩防办 director handed over in 2010. A separate random source
# keeps the shared one (and every builder after this one) unchanged.
DIRECTOR_CHANGES = 4


NEW_DIRECTORS = ("刘文斌", "彭晓燕", "钟志坚", "黄丽萍")


def _office_director_changes(ctx, groups, members) -> list[LeadingGroupMember]:
    """The new directors are officials of the county's 惩防办 appointed then."""
    rng = random.Random(20100901)
    county_groups = [g for g in groups if g.unit in ctx.counties][:DIRECTOR_CHANGES]
    rows, newcomers = [], []
    for group, name in zip(county_groups, NEW_DIRECTORS, strict=False):
        seat = next(
            (
                m
                for m in members
                if m.group is group and m.position == GroupPosition.OFFICE_DIRECTOR
            ),
            None,
        )
        if seat is None:
            continue
        office = next((s for s in ctx.sections.get(group.unit.pk, []) if s.name == "惩防办"), None)
        official = Official(
            code=uuid.UUID(int=rng.getrandbits(128), version=4),
            name=name,
            unit=group.unit,
            section=office,
            post="惩防办主任",
            rank=OfficialRank.SECTION,
            phone=f"0799-{rng.randrange(6100000, 6999999)}",
        )
        newcomers.append(official)
        handover = date(2010, rng.randint(3, 9), rng.randint(1, 28))
        seat.end_on = handover - timedelta(days=1)
        rows.append(
            LeadingGroupMember(
                group=group,
                official=official,
                position=GroupPosition.OFFICE_DIRECTOR,
                start_on=handover,
            )
        )
    Official.objects.bulk_create(newcomers)
    return rows


def _group(ctx, unit) -> LeadingGroup:
    if unit == ctx.root:
        return LeadingGroup(
            name="萍乡市惩治和预防腐败体系建设工作领导小组",
            unit=unit,
            established_on=date(2008, 4, 2),
            office_name="萍乡市惩防体系建设工作领导小组办公室(设在市纪委)",
            document_number="萍办字〔2008〕21号",
        )
    prefix = next((p for c, n, p, *_ in data.COUNTIES if c == unit.code), "")
    established = (
        ctx.between(date(2008, 4, 5), date(2008, 6, 30))
        if unit.depth == 1
        else ctx.between(date(2008, 6, 1), date(2009, 3, 31))
    )
    return LeadingGroup(
        name=f"{unit.name}惩治和预防腐败体系建设工作领导小组",
        unit=unit,
        established_on=established,
        office_name=f"{unit.name}惩防办",
        document_number=f"{prefix}〔2008〕{ctx.rng.randint(5, 60)}号" if prefix else "",
    )


def _members(ctx, group) -> list[LeadingGroupMember]:
    unit = group.unit
    seats = [(GroupPosition.LEADER, ctx.heads.get(unit.pk))]
    if unit == ctx.root:
        seats += [(GroupPosition.DEPUTY, o) for o in ctx.city_officials[:1]]
        seats.append((GroupPosition.DEPUTY, ctx.secretary))
        office = ctx.commission_office
        seats.append((GroupPosition.OFFICE_DIRECTOR, _chief_of(ctx, office, "惩防办")))
        seats += [
            (GroupPosition.MEMBER, ctx.heads[ctx.units_by_name[name].pk])
            for name in CITY_GROUP_MEMBERS
        ]
    else:
        seats.append((GroupPosition.DEPUTY, ctx.deputies.get(unit.pk)))
        director = _chief_of(ctx, unit, "惩防办") or _chief_of(ctx, unit, "办公室")
        seats.append((GroupPosition.OFFICE_DIRECTOR, director))
        chiefs = [ctx.chiefs[s.pk] for s in ctx.sections.get(unit.pk, []) if s.pk in ctx.chiefs]
        seats += [(GroupPosition.MEMBER, c) for c in chiefs if c is not director][:3]
    return [
        LeadingGroupMember(
            group=group, official=official, position=position, start_on=group.established_on
        )
        for position, official in seats
        if official is not None
    ]


def _chief_of(ctx, unit, section_name):
    for section in ctx.sections.get(unit.pk, []):
        if section.name == section_name:
            return ctx.chiefs.get(section.pk)
    return None


# --- Responsibility letters --------------------------------------------------------------------


def build_letters(ctx: DemoContext) -> None:
    for year in data.YEARS:
        leads = sorted({p.lead_unit for p in ctx.all_projects_of_year(year)}, key=lambda u: u.code)
        city_letters = [_city_letter(ctx, year, lead) for lead in leads]
        ResponsibilityLetter.objects.bulk_create(city_letters)
        cascaded = []
        for letter in city_letters:
            cascaded += _cascaded_letters(ctx, year, letter)
        ResponsibilityLetter.objects.bulk_create(cascaded)
        _clauses(ctx, year, city_letters, cascaded)
        for letter in city_letters + cascaded:
            for unit_id in {letter.issuer_unit_id, letter.recipient_unit_id}:
                stats = ctx.letter_stats[(unit_id, year)]
                stats[0] += letter.status == LetterStatus.SIGNED
                stats[1] += 1


def _city_letter(ctx, year, lead) -> ResponsibilityLetter:
    return ResponsibilityLetter(
        code=ctx.uuid(),
        year=year,
        level=LetterLevel.CITY_TO_LEAD,
        title=f"{year}年度惩防体系建设责任书(中共萍乡市委—{lead.name})",
        issuer_unit=ctx.root,
        issuer_signatory=ctx.secretary,
        recipient_unit=lead,
        recipient_signatory=ctx.heads.get(lead.pk),
        status=LetterStatus.SIGNED,
        signed_on=MEETING_DAYS[year],
    )


def _cascade_status(ctx, year) -> tuple[str, date | None]:
    signed_on = MEETING_DAYS[year] + timedelta(days=ctx.rng.randint(5, 40))
    if year < 2011 or ctx.chance(0.92):
        return LetterStatus.SIGNED, signed_on
    return (LetterStatus.ISSUED if ctx.chance(0.7) else LetterStatus.DRAFT), None


def _cascaded_letters(ctx, year, parent) -> list[ResponsibilityLetter]:
    lead = parent.recipient_unit
    letters = []
    for unit in ctx.subordinates.get(lead.pk, []):
        status, signed_on = _cascade_status(ctx, year)
        letters.append(
            ResponsibilityLetter(
                code=ctx.uuid(),
                year=year,
                level=LetterLevel.LEAD_TO_SUBORDINATE,
                title=f"{year}年度惩防体系建设责任书({lead.name}—{unit.name})",
                issuer_unit=lead,
                issuer_signatory=ctx.heads.get(lead.pk),
                recipient_unit=unit,
                recipient_signatory=ctx.heads.get(unit.pk),
                parent=parent,
                status=status,
                signed_on=signed_on,
            )
        )
    for section in ctx.sections.get(lead.pk, []):
        status, signed_on = _cascade_status(ctx, year)
        letters.append(
            ResponsibilityLetter(
                code=ctx.uuid(),
                year=year,
                level=LetterLevel.LEAD_TO_SECTION,
                title=f"{year}年度惩防体系建设责任状({lead.name}—{section.name})",
                issuer_unit=lead,
                issuer_signatory=ctx.heads.get(lead.pk),
                recipient_unit=lead,
                recipient_section=section,
                recipient_signatory=ctx.chiefs.get(section.pk),
                parent=parent,
                status=status,
                signed_on=signed_on,
            )
        )
    return letters


def _clauses(ctx, year, city_letters, cascaded) -> None:
    led = defaultdict(list)
    for project in ctx.all_projects_of_year(year):
        led[project.lead_unit_id].append(project)
    indicator = next(i for i in ctx.indicators[year] if i.code == "A2")
    rows = []
    for letter in city_letters:
        texts = [
            ("单位主要负责人为惩防体系建设第一责任人,班子成员落实“一岗双责”。", None, None),
        ]
        for project in led[letter.recipient_unit_id][:2]:
            target = ctx.targets[project.pk][0]
            texts.append(
                (
                    f"按期完成“{project.name}”项目,实现量化目标:"
                    f"{target.description}{target.target_value.normalize():f}{target.measure_unit}。",
                    target,
                    None,
                )
            )
        texts.append(("按“一月一通报、一季一督查”要求按时报送项目管理台账。", None, None))
        texts.append(
            (
                "接受年度百分制量化考核,结果与党风廉政建设责任制考核、干部年度考核同步运用。",
                None,
                indicator,
            )
        )
        rows += _clause_rows(letter, texts)
    for letter in cascaded:
        if letter.level == LetterLevel.LEAD_TO_SUBORDINATE:
            texts = [
                ("落实本单位惩防体系建设主体责任,完成下分的项目任务。", None, None),
                ("建立健全工作台账,按时报送工作进展,接受督查考核。", None, None),
            ]
            rows += _clause_rows(letter, texts)
    LetterClause.objects.bulk_create(rows)


def _clause_rows(letter, texts) -> list[LetterClause]:
    return [
        LetterClause(letter=letter, number=number, text=text, target=target, indicator=indicator)
        for number, (text, target, indicator) in enumerate(texts, start=1)
    ]


# --- Integrity-risk posts (四分法) ------------------------------------------------------------

RISK_UNITS = 30
RISK_YEAR = 2010
# (post, section hint, duties, power, basis, [(risk, category)], [controls])
RISK_POSTS = (
    (
        "财务会计岗",
        "财务",
        "负责单位财务收支核算和资金管理",
        "资金支付审核",
        "《会计法》《行政单位财务规则》",
        (
            ("违规审批支付、虚列支出套取资金", RiskCategory.PROCESS),
            ("公款私存、挪用资金", RiskCategory.DUTY),
        ),
        ("资金支付实行“双签”制度,大额支出集体研究", "每季度开展财务内部审计"),
    ),
    (
        "政府采购岗",
        "办公室",
        "负责单位政府采购的需求确定和组织实施",
        "采购需求和供应商确定",
        "《政府采购法》",
        (
            ("设置倾向性条件排斥潜在供应商", RiskCategory.PROCESS),
            ("收受供应商好处费", RiskCategory.MORAL),
        ),
        ("采购需求集体论证,全部进入公共资源交易平台", "采购经办人员定期轮岗"),
    ),
    (
        "行政审批岗",
        "审批",
        "负责行政许可事项的受理、审查和决定",
        "行政许可受理和审查",
        "《行政许可法》",
        (
            ("对符合条件的申请故意拖延不办", RiskCategory.DUTY),
            ("违规降低审批标准", RiskCategory.PROCESS),
        ),
        ("审批事项全部进入行政服务中心窗口办理,电子监察全程监控", "推行限时办结和首问责任制"),
    ),
    (
        "行政执法岗",
        "监督",
        "负责行政检查和行政处罚",
        "行政处罚裁量",
        "《行政处罚法》",
        (
            ("滥用自由裁量权,处罚畸轻畸重", RiskCategory.INSTITUTIONAL),
            ("以罚代管、人情执法", RiskCategory.EXTERNAL),
        ),
        ("制定自由裁量基准,重大处罚集体审议", "执法文书网上公开"),
    ),
    (
        "人事管理岗",
        "人事",
        "负责干部人事、招录和考核工作",
        "干部选拔任用初审",
        "《党政领导干部选拔任用工作条例》",
        (("违反程序选拔任用干部", RiskCategory.INSTITUTIONAL),),
        ("推行干部选拔任用全程纪实", "选任工作接受纪检组全程监督"),
    ),
    (
        "项目建设管理岗",
        "综合",
        "负责基建和维修项目的招标、施工和验收",
        "工程招标和变更签证",
        "《招标投标法》",
        (
            ("规避招标、肢解发包", RiskCategory.PROCESS),
            ("虚增工程量、违规签证", RiskCategory.EXTERNAL),
        ),
        ("工程变更实行集体会审", "重点项目全程跟踪审计"),
    ),
    (
        "专项资金分配岗",
        "计划",
        "负责专项资金的申报、分配和监管",
        "专项资金分配",
        "专项资金管理办法",
        (("优亲厚友、暗箱操作分配资金", RiskCategory.MORAL),),
        ("分配方案集体研究并公示", "资金拨付全程留痕、定期抽查"),
    ),
)


HANDLING = {
    RiskLevel.HIGH: HandlingCategory.ACCOUNTABILITY,
    RiskLevel.MEDIUM: HandlingCategory.CORRECTION,
    RiskLevel.LOW: HandlingCategory.REMINDER,
}
OVERSIGHT = {
    RiskLevel.HIGH: OversightTier.COMMISSION,
    RiskLevel.MEDIUM: OversightTier.SUPERVISING_DEPT,
    RiskLevel.LOW: OversightTier.UNIT,
}


def build_risk_posts(ctx: DemoContext) -> None:
    units = sorted(ctx.rng.sample(ctx.departments, RISK_UNITS), key=lambda u: u.code)
    posts, powers, points, controls = [], [], [], []
    for unit in units:
        for template in ctx.rng.sample(RISK_POSTS, ctx.rng.randint(2, 3)):
            name, hint, duties, power_name, basis, risks, measures = template
            section = next((s for s in ctx.sections.get(unit.pk, []) if hint in s.name), None)
            post = RiskPost(unit=unit, section=section, year=RISK_YEAR, name=name, duties=duties)
            power = RiskPower(post=post, name=power_name, basis=basis)
            worst = RiskLevel.LOW
            for description, category in risks:
                likelihood, impact = ctx.rng.randint(1, 5), ctx.rng.randint(2, 5)
                level = risk_level(likelihood, impact)
                worst = _worse(worst, level)
                point = RiskPoint(
                    power=power,
                    description=description,
                    category=category,
                    likelihood=likelihood,
                    impact=impact,
                    level=level,
                    handling=HANDLING[level],
                )
                points.append(point)
                owner = ctx.chiefs.get(section.pk) if section else ctx.deputies.get(unit.pk)
                controls += [
                    RiskControl(
                        risk_point=point,
                        measure=measure,
                        rule_name=f"{unit.name}廉政风险防控管理办法",
                        owner=owner.name if owner else "",
                    )
                    for measure in measures
                ]
            post.oversight_tier = OVERSIGHT[worst]
            posts.append(post)
            powers.append(power)
    RiskPost.objects.bulk_create(posts)
    RiskPower.objects.bulk_create(powers)
    RiskPoint.objects.bulk_create(points)
    RiskControl.objects.bulk_create(controls)
    _risk_maps(ctx, units, posts, powers, points, controls)


# --- Risk maps: yearly reviews, processes, links, the 2011 re-assessment ----------------------
# A separate random source: the shared one (and so every later builder) is unchanged.

REASSESSED_UNITS = 10
# 2011 re-assessment status of the first REASSESSED_UNITS units, in order.
REASSESSED_STATUS = (
    [ReviewStatus.APPROVED] * 6 + [ReviewStatus.SUBMITTED] * 3 + [ReviewStatus.DRAFT]
)
PROCESS_STEPS = ("受理申请", "初审", "复核", "审批", "办结归档")


def _risk_maps(ctx, units, posts, powers, points, controls) -> None:
    rng = random.Random(20100615)
    reviews = [
        RiskReview(
            unit=unit,
            year=RISK_YEAR,
            status=ReviewStatus.APPROVED,
            submitted_on=date(RISK_YEAR, 5, rng.randint(4, 28)),
            approved_on=date(RISK_YEAR, 6, rng.randint(10, 30)),
            comment="风险点排查全面,防控措施具体,同意。",
        )
        for unit in units
    ]
    RiskReview.objects.bulk_create(reviews)
    by_unit = defaultdict(list)
    for post in posts:
        by_unit[post.unit_id].append(post)
    _link_projects(ctx, posts)
    _processes(rng, units, by_unit, RISK_YEAR)
    # The 2011 re-assessment: copy of the 2010 map, some points re-graded.
    previous = {r.unit_id: r for r in reviews}
    new_reviews, copies = [], []
    for unit, status in zip(units[:REASSESSED_UNITS], REASSESSED_STATUS, strict=True):
        new_reviews.append(
            RiskReview(
                unit=unit,
                year=RISK_YEAR + 1,
                status=status,
                based_on=previous[unit.pk],
                submitted_on=date(2011, 5, rng.randint(3, 27))
                if status != ReviewStatus.DRAFT
                else None,
                approved_on=date(2011, 6, rng.randint(8, 30))
                if status == ReviewStatus.APPROVED
                else None,
                comment="同意。" if status == ReviewStatus.APPROVED else "",
            )
        )
        copies += by_unit[unit.pk]
    RiskReview.objects.bulk_create(new_reviews)
    new_posts = _copy_posts(rng, copies)
    _link_projects(ctx, new_posts)
    new_by_unit = defaultdict(list)
    for post in new_posts:
        new_by_unit[post.unit_id].append(post)
    _processes(rng, units[:REASSESSED_UNITS], new_by_unit, RISK_YEAR + 1)


def _copy_posts(rng, posts) -> list[RiskPost]:
    new_posts, new_powers, new_points, new_controls = [], [], [], []
    for post in posts:
        copy = RiskPost(
            unit=post.unit,
            section=post.section,
            year=post.year + 1,
            name=post.name,
            duties=post.duties,
            oversight_tier=post.oversight_tier,
        )
        new_posts.append(copy)
        for power in post.powers.all():
            power_copy = RiskPower(post=copy, name=power.name, basis=power.basis)
            new_powers.append(power_copy)
            for point in power.risk_points.all():
                likelihood = point.likelihood
                if likelihood > 1 and rng.random() < 0.3:
                    likelihood -= 1  # controls took effect: less likely now
                level = risk_level(likelihood, point.impact)
                point_copy = RiskPoint(
                    power=power_copy,
                    description=point.description,
                    category=point.category,
                    likelihood=likelihood,
                    impact=point.impact,
                    level=level,
                    handling=HANDLING[level],
                )
                new_points.append(point_copy)
                new_controls += [
                    RiskControl(
                        risk_point=point_copy,
                        measure=c.measure,
                        rule_name=c.rule_name,
                        owner=c.owner,
                    )
                    for c in point.controls.all()
                ]
    RiskPost.objects.bulk_create(new_posts)
    for power in new_powers:
        power.post_id = power.post.pk
    RiskPower.objects.bulk_create(new_powers)
    for point in new_points:
        point.power_id = point.power.pk
    RiskPoint.objects.bulk_create(new_points)
    for control in new_controls:
        control.risk_point_id = control.risk_point.pk
    RiskControl.objects.bulk_create(new_controls)
    return new_posts


def _link_projects(ctx, posts) -> None:
    """Each post is treated by the year's Sunshine Program projects its unit
    leads, or else by the year's first Sunshine Program project."""
    sunshine = ctx.programs["sunshine"].pk
    links = []
    through = RiskPost.projects.through
    for post in posts:
        year_projects = [p for p in ctx.all_projects_of_year(post.year) if p.program_id == sunshine]
        own = [p for p in year_projects if p.lead_unit_id == post.unit_id]
        chosen = own or sorted(year_projects, key=lambda p: p.number)[:1]
        links += [through(riskpost_id=post.pk, project_id=p.pk) for p in chosen]
    through.objects.bulk_create(links)


def _processes(rng, units, posts_by_unit, year) -> None:
    """One business process per unit and year: its steps are done by the
    unit's risk posts, and carry those posts' risk points."""
    processes, steps = [], []
    for unit in units:
        posts = sorted(posts_by_unit[unit.pk], key=lambda p: p.name)
        if not posts:
            continue
        process = RiskProcess(
            unit=unit,
            year=year,
            name=f"{posts[0].powers.all()[0].name}流程"
            if _has_powers(posts[0])
            else "业务办理流程",
            description="职权运行流程图(权力运行流程)",
        )
        processes.append(process)
        acting = [None, posts[0], posts[-1] if len(posts) > 1 else posts[0], posts[0], None]
        for number, (name, post) in enumerate(zip(PROCESS_STEPS, acting, strict=True), start=1):
            steps.append(RiskProcessStep(process=process, number=number, name=name, post=post))
    RiskProcess.objects.bulk_create(processes)
    for step in steps:
        step.process_id = step.process.pk
    RiskProcessStep.objects.bulk_create(steps)
    through = RiskProcessStep.risk_points.through
    links = []
    for step in steps:
        if step.post is None:
            continue
        links += [
            through(riskprocessstep_id=step.pk, riskpoint_id=point.pk)
            for power in step.post.powers.all()
            for point in power.risk_points.all()
        ]
    through.objects.bulk_create(links)


def _has_powers(post) -> bool:
    return bool(post.powers.all())


def _worse(a: str, b: str) -> str:
    order = [RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH]
    return max(a, b, key=order.index)
