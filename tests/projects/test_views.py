"""The project workspace pages: role homes, the registry, the project page and
the unit wall chart — per persona, with filters, sorting, pagination and
pinned query counts."""

import datetime
import re

import pytest
from django.urls import reverse

from projects.choices import LedgerStatus, ProjectCategory, ProjectStage
from tests import factories as f
from tests.querycount import assert_constant_queries, count_queries

YEAR = f.YEAR
# Pinned query counts (10 and 200 projects alike). Each page pays one query for
# the bell's unread count; the registry, project page, wall and editor home one
# more for the milestones behind the warning lights (progress and attainment
# are subqueries of the rows' own query).
LIST_QUERIES = 12
DETAIL_QUERIES = 17
WALL_QUERIES = 10
HOME_QUERIES = 15


# --- Local data (tests/factories.py and conftest.py belong to the foundation) ----------


@pytest.fixture
def framework_bits(db):
    return {
        "tier": f.TierFactory(name="县区层级"),
        "program": f.ProgramFactory(name="廉政阳光工程"),
    }


def _project(framework_bits, **kwargs):
    kwargs.setdefault("tier", framework_bits["tier"])
    kwargs.setdefault("program", framework_bits["program"])
    return f.ProjectFactory(**kwargs)


@pytest.fixture
def county_a_project(tree, framework_bits):
    """A project of county_a with a target, a downward split, a milestone and
    a ledger entry with an evidence file."""
    project = _project(
        framework_bits,
        number="A-001",
        name="甲县廉政风险防控",
        lead_unit=tree["county_a"],
        category=ProjectCategory.INDIVIDUAL,
    )
    target = f.TargetFactory(project=project, description="开展廉政谈话")
    assignment = f.DownwardAssignmentFactory(
        project=project, assignee_unit=tree["township_a"], content="甲县一镇完成谈话"
    )
    f.AssignmentShareFactory(assignment=assignment, target=target, share_percent=40)
    f.MilestoneFactory(project=project, name="半年督导")
    entry = f.LedgerEntryFactory(
        project=project, status=LedgerStatus.SUBMITTED, content="完成首批谈话"
    )
    f.EvidenceFactory(entry=entry, original_name="谈话记录.pdf")
    return project


@pytest.fixture
def county_b_project(tree, framework_bits):
    return _project(framework_bits, number="B-001", name="乙县三资管理", lead_unit=tree["county_b"])


def _detail(project):
    return reverse("projects:detail", args=[project.code])


def _text(response) -> str:
    return response.content.decode()


def _rows(response) -> list[str]:
    """Project numbers in the registry table, in order."""
    return re.findall(r'<td class="text-nowrap">([A-Z]+-\d+)</td>', _text(response))


# --- Anonymous users are sent to the sign-in page -----------------------------------


@pytest.mark.parametrize("name", ["home", "projects:list"])
def test_anonymous_is_redirected_to_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_cannot_open_a_project_or_a_wall(client, county_a_project, tree):
    for url in (
        _detail(county_a_project),
        reverse("projects:unit-wall", args=[tree["county_a"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# --- Visibility of a project per persona ----------------------------------------------


@pytest.mark.parametrize(
    "persona", ["commission", "editor_a", "leader", "county_leader", "auditor", "superuser"]
)
def test_personas_who_reach_the_project_see_it(client, request, county_a_project, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(_detail(county_a_project))
    assert response.status_code == 200
    assert "甲县廉政风险防控" in _text(response)


@pytest.mark.parametrize("persona", ["editor_b", "co_editor_b", "outsider"])
def test_editor_of_another_county_gets_404(client, request, county_a_project, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_detail(county_a_project)).status_code == 404


def test_lead_units_wall_is_linked_only_for_who_can_open_it(
    client, tree, editor_a, co_editor_b, county_a_project
):
    """A co-organizing county sees the project but not the lead county: no
    link to a wall chart that would answer 404."""
    f.ProjectCoUnitFactory(project=county_a_project, unit=tree["county_b"])
    wall = reverse("projects:unit-wall", args=[tree["county_a"].pk])
    client.force_login(editor_a)
    assert wall in _text(client.get(_detail(county_a_project)))
    assert client.get(wall).status_code == 200
    client.force_login(co_editor_b)
    response = client.get(_detail(county_a_project))
    assert response.status_code == 200
    assert wall not in _text(response)
    assert client.get(wall).status_code == 404


def test_unknown_project_code_is_404(client, commission):
    client.force_login(commission)
    missing = reverse("projects:detail", args=["00000000-0000-0000-0000-000000000000"])
    assert client.get(missing).status_code == 404


@pytest.mark.parametrize("persona", ["leader", "auditor"])
def test_leaders_and_auditors_read_the_project_read_only(
    client, request, county_a_project, persona
):
    client.force_login(request.getfixturevalue(persona))
    text = _text(client.get(_detail(county_a_project)))
    assert "只读" in text
    assert '<form method="post" action="/projects' not in text


def test_project_page_shows_targets_splits_milestones_ledger_and_files(
    client, editor_a, county_a_project
):
    client.force_login(editor_a)
    text = _text(client.get(_detail(county_a_project)))
    for expected in (
        "量化目标",
        "开展廉政谈话",
        "任务分解(三分法)",
        "甲县一镇完成谈话",
        "40%",
        "半年督导",
        "项目台账",
        "完成首批谈话",
        "待核实",
        "谈话记录.pdf",
        "项目管理工作流程图",
        "变更记录",
    ):
        assert expected in text, expected


def test_project_page_history_shows_transitions_to_the_editor_and_audit_rows_to_the_auditor(
    client, editor_a, auditor, county_a_project
):
    from pingxiang_cf.audit import record, record_transition

    record_transition(
        actor=auditor,
        obj=county_a_project,
        field="stage",
        from_state=ProjectStage.ESTABLISH,
        to_state=ProjectStage.IMPLEMENT,
        reason="目标已分解",
    )
    record(actor=auditor, action="update", obj=county_a_project, before={"name": "x"}, after={})
    client.force_login(editor_a)
    text = _text(client.get(_detail(county_a_project)))
    assert "立项 → 实施" in text and "目标已分解" in text
    assert "修改" not in text.split("变更记录", 1)[1]  # audit rows: commission and auditor only
    client.force_login(auditor)
    history = _text(client.get(_detail(county_a_project))).split("变更记录", 1)[1]
    assert "立项 → 实施" in history and "修改" in history


def test_co_unit_sees_its_own_assignment_not_the_others(client, tree, framework_bits):
    project = _project(framework_bits, lead_unit=tree["department"], name="联合督查项目")
    f.OuterAssignmentFactory(project=project, assignee_unit=tree["county_b"], content="乙县部分")
    f.OuterAssignmentFactory(project=project, assignee_unit=tree["county_a"], content="甲县部分")
    from accountability.models import Membership
    from pingxiang_cf.roles import Role

    user = f.UserFactory(username="co_b")
    Membership.objects.create(user=user, unit=tree["county_b"], role=Role.CO_UNIT)
    client.force_login(user)
    text = _text(client.get(_detail(project)))
    assert "乙县部分" in text and "甲县部分" not in text


# --- The registry: filters, search, sorting, pagination ------------------------------


@pytest.fixture
def registry(tree, framework_bits):
    mech = f.MechanismFactory(name="惩处机制")
    return {
        "a1": _project(
            framework_bits,
            number="A-001",
            name="甲县党务公开",
            year=2011,
            lead_unit=tree["county_a"],
            stage=ProjectStage.PROMOTE,
            mechanisms=[mech],
        ),
        "a2": _project(
            framework_bits,
            number="A-002",
            name="甲县三资管理",
            year=2010,
            lead_unit=tree["county_a"],
            category=ProjectCategory.EXTENSION,
        ),
        "b1": _project(
            framework_bits,
            number="B-001",
            name="乙县廉政教育",
            year=2011,
            lead_unit=tree["county_b"],
        ),
        "mech": mech,
    }


def _list(client, **params):
    return client.get(reverse("projects:list"), params)


def test_registry_lists_only_visible_projects(client, editor_a, registry):
    client.force_login(editor_a)
    response = _list(client)
    assert _rows(response) == ["A-001", "A-002"]
    assert "共 2 个项目" in _text(response)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"year": "2011"}, ["A-001", "B-001"]),
        ({"category": ProjectCategory.EXTENSION}, ["A-002"]),
        ({"stage": ProjectStage.PROMOTE}, ["A-001"]),
        ({"q": "三资"}, ["A-002"]),
        ({"q": "B-00"}, ["B-001"]),
        ({"q": "乙县"}, ["B-001"]),  # lead unit name
        ({"q": "甲县", "year": "2010"}, ["A-002"]),
    ],
)
def test_registry_filters_and_search(client, commission, registry, params, expected):
    client.force_login(commission)
    assert sorted(_rows(_list(client, **params))) == expected


def test_registry_filters_by_lead_unit_and_mechanism(client, commission, registry, tree):
    client.force_login(commission)
    assert sorted(_rows(_list(client, lead_unit=tree["county_b"].pk))) == ["B-001"]
    assert _rows(_list(client, mechanism=registry["mech"].pk)) == ["A-001"]


def test_lead_unit_filter_offers_only_units_of_visible_projects(client, editor_a, registry):
    client.force_login(editor_a)
    text = _text(_list(client))
    select = text.split('name="lead_unit"', 1)[1].split("</select>", 1)[0]
    assert "甲县" in select and "乙县" not in select


def test_registry_sorts_by_clickable_headers(client, commission, registry):
    client.force_login(commission)
    assert _rows(_list(client)) == ["A-001", "B-001", "A-002"]  # default: newest year first
    assert _rows(_list(client, o="name")) == ["B-001", "A-002", "A-001"]
    assert _rows(_list(client, o="-number")) == ["B-001", "A-002", "A-001"]
    text = _text(_list(client, o="number", year="2011"))
    assert "?o=-number&amp;year=2011" in text or "?year=2011&amp;o=-number" in text


def test_registry_paginates_by_50_and_keeps_filters(client, commission, tree, framework_bits):
    for n in range(55):
        _project(framework_bits, number=f"P-{n:03d}", year=2011, lead_unit=tree["county_a"])
    _project(framework_bits, number="Q-001", year=2012, lead_unit=tree["county_a"])
    client.force_login(commission)
    first = _list(client, year="2011", o="number")
    assert "共 55 个项目" in _text(first)
    assert len(_rows(first)) == 50
    assert "year=2011" in _text(first).split("pagination", 1)[1]
    second = _list(client, year="2011", o="number", page="2")
    assert _rows(second) == [f"P-{n:03d}" for n in range(50, 55)]


def test_registry_empty_state_is_chinese(client, commission, registry):
    client.force_login(commission)
    assert "没有符合条件的项目" in _text(_list(client, q="不存在的项目"))


# --- Role homes -------------------------------------------------------------------------


def test_editor_home_lists_my_projects_assignments_due_and_returned(
    client, editor_a, tree, framework_bits, county_b_project
):
    today = datetime.date.today()
    mine = _project(
        framework_bits,
        number="A-010",
        name="甲县本级项目",
        lead_unit=tree["county_a"],
        stage=ProjectStage.IMPLEMENT,
        year=today.year,
        start_date=today.replace(month=1, day=1),
        end_date=today.replace(month=12, day=31),
    )
    f.TargetFactory(
        project=mine, description="临期的目标", due_date=today + datetime.timedelta(days=3)
    )
    f.TargetFactory(
        project=mine, description="很晚的目标", due_date=today + datetime.timedelta(days=60)
    )
    led_elsewhere = _project(
        framework_bits, number="D-001", name="市级牵头项目", lead_unit=tree["department"]
    )
    f.OuterAssignmentFactory(
        project=led_elsewhere, assignee_unit=tree["county_a"], content="甲县承担的外分任务"
    )
    f.LedgerEntryFactory(project=mine, status=LedgerStatus.RETURNED, review_comment="请补充签到表")
    client.force_login(editor_a)
    text = _text(client.get(reverse("home")))
    for expected in (
        "我的项目",
        "甲县本级项目",
        "市级牵头项目",
        "我的任务分解",
        "甲县承担的外分任务",
        "临期的目标",
        "退回修改的台账",
        "请补充签到表",
    ):
        assert expected in text, expected
    assert "很晚的目标" not in text
    assert "乙县三资管理" not in text


def test_editor_home_empty_states_are_chinese(client, editor_b):
    client.force_login(editor_b)
    text = _text(client.get(reverse("home")))
    assert "本单位暂无项目" in text and "没有退回修改的台账" in text


def test_commission_home_lists_submitted_entries_of_all_units(
    client, commission, county_a_project, county_b_project
):
    f.LedgerEntryFactory(
        project=county_b_project, status=LedgerStatus.SUBMITTED, content="乙县报送"
    )
    f.LedgerEntryFactory(project=county_b_project, status=LedgerStatus.VERIFIED)
    client.force_login(commission)
    response = client.get(reverse("home"))
    text = _text(response)
    assert "待核实的台账" in text
    assert response.context["waiting_total"] == 2
    assert "甲县廉政风险防控" in text and "乙县三资管理" in text


# Leaders land on the dashboard instead (tests/dashboards/test_dashboard_page.py).
@pytest.mark.parametrize("persona", ["auditor"])
def test_read_only_home_is_an_overview(client, request, county_a_project, persona):
    client.force_login(request.getfixturevalue(persona))
    text = _text(client.get(reverse("home")))
    assert "项目总览(只读)" in text and "各年度项目" in text


def test_user_without_role_is_told_to_ask_for_one(client, outsider):
    client.force_login(outsider)
    assert "尚未分配单位和角色" in _text(client.get(reverse("home")))


# --- The wall chart ------------------------------------------------------------------------


def test_unit_wall_shows_the_units_projects_of_the_year(client, editor_a, registry, tree):
    client.force_login(editor_a)
    url = reverse("projects:unit-wall", args=[tree["county_a"].pk])
    text = _text(client.get(url, {"year": 2011}))
    assert "挂图作业" in text and "甲县党务公开" in text and "甲县三资管理" not in text
    assert "<svg" in text and "12月" in text


@pytest.mark.parametrize("year", ["0", "10000", "1999"])
def test_unit_wall_of_an_impossible_year_is_404_not_a_crash(client, editor_a, tree, year):
    client.force_login(editor_a)
    url = reverse("projects:unit-wall", args=[tree["county_a"].pk])
    assert client.get(url, {"year": year}).status_code == 404


def test_unit_wall_of_a_unit_out_of_reach_is_404(client, editor_b, tree):
    client.force_login(editor_b)
    url = reverse("projects:unit-wall", args=[tree["county_a"].pk])
    assert client.get(url).status_code == 404


# --- Query counts do not grow with rows (10 → 200 projects) --------------------------------


def _grow_projects(framework_bits, unit, n, year=2011):
    for _ in range(n):
        project = _project(framework_bits, lead_unit=unit, year=year)
        f.MilestoneFactory(project=project)


@pytest.mark.parametrize("persona", ["commission", "editor_a"])
def test_registry_query_count_is_constant(client, request, tree, framework_bits, persona):
    client.force_login(request.getfixturevalue(persona))
    _grow_projects(framework_bits, tree["county_a"], 10)

    def run():
        response = _list(client, year="2011", o="-name")
        assert response.status_code == 200

    run()  # warm caches (content types, session)
    count = assert_constant_queries(
        run, lambda: _grow_projects(framework_bits, tree["county_a"], 190), limit=LIST_QUERIES
    )
    assert count <= LIST_QUERIES


def _grow_project_rows(project, tree, n):
    for _ in range(n):
        target = f.TargetFactory(project=project)
        assignment = f.DownwardAssignmentFactory(project=project, assignee_unit=tree["township_a"])
        f.AssignmentShareFactory(assignment=assignment, target=target, share_percent=1)
        f.MilestoneFactory(project=project)
        entry = f.LedgerEntryFactory(project=project)
        f.EvidenceFactory(entry=entry)


@pytest.mark.parametrize("persona", ["commission", "editor_a", "auditor"])
def test_project_page_query_count_is_constant(
    client, request, tree, framework_bits, county_a_project, persona
):
    client.force_login(request.getfixturevalue(persona))
    _grow_projects(framework_bits, tree["county_a"], 10)

    def run():
        assert client.get(_detail(county_a_project)).status_code == 200

    run()

    def grow():
        _grow_projects(framework_bits, tree["county_a"], 190)
        _grow_project_rows(county_a_project, tree, 20)

    assert_constant_queries(run, grow, limit=DETAIL_QUERIES)


def test_wall_and_home_query_counts_are_constant(client, editor_a, tree, framework_bits):
    client.force_login(editor_a)
    _grow_projects(framework_bits, tree["county_a"], 10)
    wall = reverse("projects:unit-wall", args=[tree["county_a"].pk])

    def run():
        assert client.get(wall, {"year": 2011}).status_code == 200
        assert client.get(reverse("home")).status_code == 200

    run()
    assert_constant_queries(
        run,
        lambda: _grow_projects(framework_bits, tree["county_a"], 190),
        limit=WALL_QUERIES + HOME_QUERIES,
    )


def test_measured_query_counts(client, commission, tree, framework_bits, county_a_project):
    """Pinned figures, printed with -s for the closing note."""
    client.force_login(commission)
    client.get(_detail(county_a_project))
    with count_queries() as listing:
        _list(client)
    with count_queries() as detail:
        client.get(_detail(county_a_project))
    print(f"\nlist={listing.count} detail={detail.count}")
    assert listing.count <= LIST_QUERIES and detail.count <= DETAIL_QUERIES


def test_measured_wall_and_home_query_counts(client, editor_a, tree, framework_bits):
    client.force_login(editor_a)
    _grow_projects(framework_bits, tree["county_a"], 10)
    wall = reverse("projects:unit-wall", args=[tree["county_a"].pk])
    client.get(wall, {"year": 2011})
    with count_queries() as wall_count:
        client.get(wall, {"year": 2011})
    with count_queries() as home_count:
        client.get(reverse("home"))
    print(f"\nwall={wall_count.count} home={home_count.count}")
    assert wall_count.count <= WALL_QUERIES and home_count.count <= HOME_QUERIES


# --- Progress and warning lights on the pages ---------------------------------------------
# Dates relative to today: the pages judge lights as of timezone.localdate().


def _days(n: int) -> datetime.date:
    from django.utils import timezone

    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def lit(tree, framework_bits, settings):
    """Four projects of county_a, one per kind of light (planned progress is
    50 % for each running project: halfway between start and end, no milestone)."""
    settings.WARNING_YELLOW_MARGIN = 10
    settings.WARNING_RED_MARGIN = 30
    settings.WARNING_DUE_SOON_DAYS = 14
    year = _days(0).year

    def make(number, name, **kwargs):
        kwargs.setdefault("start_date", _days(-100))
        kwargs.setdefault("end_date", _days(100))
        kwargs.setdefault("stage", ProjectStage.IMPLEMENT)
        return _project(
            framework_bits,
            number=number,
            name=name,
            year=year,
            lead_unit=tree["county_a"],
            **kwargs,
        )

    late = make("L-001", "逾期项目")
    target = f.TargetFactory(
        project=late, description="逾期的目标", due_date=_days(-1), target_value=10
    )
    behind = make("L-002", "落后项目")  # no verified progress: 50 points behind → red
    slow = make("L-003", "稍慢项目")
    f.LedgerEntryFactory(
        project=slow, entry_date=_days(-1), progress_percent=35, status=LedgerStatus.VERIFIED
    )
    done = make("L-004", "已评估项目", stage=ProjectStage.EVALUATE)
    return {"late": late, "late_target": target, "behind": behind, "slow": slow, "done": done}


def _row(response, number: str) -> str:
    """The registry row of one project."""
    text = _text(response)
    start = text.index(f'<td class="text-nowrap">{number}</td>')
    return text[start : text.index("</tr>", start)]


def test_registry_shows_progress_and_light_with_its_reason(client, commission, lit):
    client.force_login(commission)
    response = _list(client)
    slow = _row(response, "L-003")
    reason = "计划进度50%,实际核实进度35%,落后15个百分点。"
    assert "35%" in slow and "黄灯" in slow
    assert f'title="{reason}"' in slow  # tooltip
    assert f'<span class="visually-hidden">:{reason}</span>' in slow  # screen readers
    late = _row(response, "L-001")
    assert "红灯" in late and "已超过完成时限" in late
    assert "绿灯" in _row(response, "L-004") and "已完成。" in _row(response, "L-004")
    assert "红灯" in _row(response, "L-002") and "落后50个百分点" in _row(response, "L-002")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"light": "red"}, ["L-001", "L-002"]),
        ({"light": "yellow"}, ["L-003"]),
        ({"light": "green"}, ["L-004"]),
        ({"overdue": "yes"}, ["L-001"]),  # red for lateness, not for being behind
        ({"overdue": "yes", "light": "yellow"}, []),
        ({"light": "red", "q": "落后"}, ["L-002"]),
    ],
)
def test_registry_filters_by_light_and_overdue(client, commission, lit, params, expected):
    client.force_login(commission)
    assert sorted(_rows(_list(client, **params))) == expected


def test_light_filter_keeps_to_the_visible_projects(client, editor_b, lit, county_b_project):
    client.force_login(editor_b)
    assert _rows(_list(client, light="red")) == ["B-001"]  # its own, past its year


def test_light_and_overdue_filters_are_offered_in_chinese(client, commission, lit):
    client.force_login(commission)
    text = _text(_list(client))
    select = text.split('name="light"', 1)[1].split("</select>", 1)[0]
    assert "绿灯" in select and "黄灯" in select and "红灯" in select
    assert "已逾期" in text.split('name="overdue"', 1)[1].split("</select>", 1)[0]


@pytest.mark.parametrize("params", [{"light": "red"}, {"overdue": "yes"}])
def test_registry_query_count_with_light_filters_is_constant(
    client, commission, tree, framework_bits, params
):
    client.force_login(commission)
    _grow_projects(framework_bits, tree["county_a"], 10)

    def run():
        assert _list(client, **params).status_code == 200

    run()
    # the filter runs the rule over the filtered rows: two more queries, always
    assert_constant_queries(
        run, lambda: _grow_projects(framework_bits, tree["county_a"], 190), limit=LIST_QUERIES + 2
    )


def test_project_page_shows_the_light_in_words_with_progress_and_attainment(
    client, editor_a, lit, tree
):
    slow = lit["slow"]
    target = f.TargetFactory(project=slow, description="谈话人次", target_value=10)
    entry = f.LedgerEntryFactory(project=slow, entry_date=_days(-2), status=LedgerStatus.VERIFIED)
    f.LedgerQuantityFactory(entry=entry, target=target, quantity=4)
    pending = f.LedgerEntryFactory(project=slow, status=LedgerStatus.SUBMITTED)
    f.LedgerQuantityFactory(entry=pending, target=target, quantity=5)  # not verified: ignored
    assignment = f.DownwardAssignmentFactory(
        project=slow, assignee_unit=tree["township_a"], deadline=_days(-3), content="镇里的任务"
    )
    f.LedgerEntryFactory(
        assignment=assignment,
        entry_date=_days(-4),
        progress_percent=20,
        status=LedgerStatus.VERIFIED,
    )
    client.force_login(editor_a)
    text = _text(client.get(_detail(slow)))
    light = text.split('id="project-light">', 1)[1].split("</dd>", 1)[0]
    assert "黄灯" in light
    assert (
        '<span class="app-light-reason">计划进度50%,实际核实进度35%,落后15个百分点。</span>'
        in light
    )
    assert "(计划 50%)" in text  # planned progress beside the verified one
    assert "4 / 10 场" in text and 'value="40"' in text  # attainment of the target
    splits = text.split('id="splits"', 1)[1].split("</section>", 1)[0]
    assert "20%" in splits and "红灯" in splits and "已超过完成时限" in splits
    chart = text.split('id="chart"', 1)[1].split("</section>", 1)[0]
    assert "light-yellow" in chart and "light-red" in chart  # period and overdue assignment


def test_green_project_page_says_why(client, commission, lit):
    client.force_login(commission)
    text = _text(client.get(_detail(lit["done"])))
    light = text.split('id="project-light">', 1)[1].split("</dd>", 1)[0]
    assert "绿灯" in light and "已完成。" in light


def test_editor_home_shows_lights_on_projects_and_assignments(client, editor_a, lit, tree):
    soon = f.DownwardAssignmentFactory(
        project=lit["slow"], assignee_unit=tree["township_a"], deadline=_days(5), content="临期任务"
    )
    f.LedgerEntryFactory(  # on plan (95 % planned by now), but due within 14 days: yellow
        assignment=soon, entry_date=_days(-1), progress_percent=90, status=LedgerStatus.VERIFIED
    )
    client.force_login(editor_a)
    text = _text(client.get(reverse("home")))
    projects = text.split('id="h-projects"', 1)[1].split("</section>", 1)[0]
    assert "红灯" in projects and "黄灯" in projects and "绿灯" in projects
    due = text.split('id="h-due"', 1)[1].split("</section>", 1)[0]
    assert "临期任务" in due and "黄灯" in due and "距完成时限" in due  # the assignment's light
    assert "逾期的目标" in due and "已核实完成 0%" in due
    assignments = text.split('id="h-assignments"', 1)[1].split("</section>", 1)[0]
    assert "临期任务" in assignments and "黄灯" in assignments


def test_attained_targets_leave_the_due_list(client, editor_a, lit):
    entry = f.LedgerEntryFactory(project=lit["late"], status=LedgerStatus.VERIFIED)
    f.LedgerQuantityFactory(entry=entry, target=lit["late_target"], quantity=10)
    client.force_login(editor_a)
    due = _text(client.get(reverse("home"))).split('id="h-due"', 1)[1].split("</section>", 1)[0]
    assert "逾期的目标" not in due


def test_unit_wall_colours_each_bar_by_its_light(client, editor_a, lit, tree):
    client.force_login(editor_a)
    url = reverse("projects:unit-wall", args=[tree["county_a"].pk])
    text = _text(client.get(url, {"year": lit["late"].year}))
    bars = re.findall(r'class="app-bar (stage-\w+ light-\w+)"', text)
    assert sorted(bars) == [
        "stage-evaluate light-green",
        "stage-implement light-red",
        "stage-implement light-red",
        "stage-implement light-yellow",
    ]
    assert "已超过完成时限" in text  # the reason, in the bar's title
