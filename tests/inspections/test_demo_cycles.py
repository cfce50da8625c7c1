"""The demo's supervision cycles: a known month's published notice, exact
figures, and the seed's 35 named units kept."""

import datetime

import pytest

from demo.figures import current_figures, differences
from inspections.choices import CycleKind, NoticeKind, NoticeStatus
from inspections.models import Notice, SupervisionCycle, SupervisionReport
from inspections.services.cycles import cycle_run

pytestmark = [pytest.mark.django_db, pytest.mark.demo]


@pytest.fixture(scope="module", autouse=True)
def demo(pingxiang_demo):
    return pingxiang_demo


def test_the_seed_figures_hold_with_the_generated_notices():
    figures = current_figures()
    assert differences(figures) == []
    assert figures["inspections"]["units_notified"] == 35


def test_may_2010_notice_has_the_known_figures():
    notice = Notice.objects.get(cycle__kind=CycleKind.MONTHLY, cycle__period="2010-05")
    assert (notice.number, notice.issued_on, notice.status) == (
        "萍纪惩办通〔2010〕6号",
        datetime.date(2010, 6, 8),
        NoticeStatus.PUBLISHED,
    )
    overall = notice.cycle.snapshot["overall"]
    assert overall == {
        "projects": 68,
        "units": 45,
        "progress": 56.4,
        "planned": 40.0,
        "green": 65,
        "yellow": 2,
        "red": 1,
        "units_with_red": 1,
    }
    comparison = notice.cycle.snapshot["comparison"]
    assert (comparison["period"], comparison["progress"], comparison["progress_delta"]) == (
        "2010-04",
        45.8,
        10.6,
    )
    named = list(
        notice.named_units.order_by("-is_criticism", "unit__code").values_list(
            "unit__name", "is_criticism"
        )
    )
    assert named[0] == ("市林业局", True)
    assert sorted(named[1:]) == [("市人社局", False), ("市信访局", False), ("市规划局", False)]
    assert notice.body.startswith(
        "2010年5月,全市45个牵头单位承担的68个年度重点工作项目,平均核实进度56.4%"
    )


def test_every_month_of_2009_and_2010_is_published_and_july_2011_waits_for_review():
    monthly = Notice.objects.filter(kind=NoticeKind.MONTHLY)
    published = monthly.filter(status=NoticeStatus.PUBLISHED)
    assert published.filter(cycle__period_start__year__in=(2009, 2010)).count() == 24
    assert published.count() == 30  # + the six 2011 notices of the inspections builder
    draft = monthly.get(status=NoticeStatus.DRAFT)
    assert draft.cycle.period == "2011-07"
    assert SupervisionReport.objects.filter(cycle__period="2011-H1").exists()


def test_rerunning_a_published_month_changes_nothing():
    cycle = SupervisionCycle.objects.get(kind=CycleKind.MONTHLY, period="2010-05")
    snapshot = cycle.snapshot
    notice = Notice.objects.get(cycle=cycle)
    cycle_run(kind=CycleKind.MONTHLY, period="2010-05")
    cycle.refresh_from_db()
    assert cycle.snapshot == snapshot
    assert Notice.objects.get(cycle=cycle).body == notice.body
    assert SupervisionCycle.objects.filter(kind=CycleKind.MONTHLY, period="2010-05").count() == 1


def test_the_notice_workflow_of_the_demo_is_recorded():
    from django.contrib.contenttypes.models import ContentType

    from pingxiang_cf.models import Transition

    notice_type = ContentType.objects.get_for_model(Notice)
    steps = Transition.objects.filter(content_type=notice_type)
    assert steps.filter(to_state="reviewed", actor__username="commission").count() == 24
    assert steps.filter(to_state="published", actor__username="commission").count() == 24
