"""A full year of the demo data, scored through the services: known totals
for a few units, the ties, reproducibility and the time the whole year
takes."""

import time
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count

from assessments import services
from assessments.models import AssessmentScheme, Deduction, Score, UnitAssessment
from demo import data
from pingxiang_cf.models import Transition

pytestmark = [pytest.mark.django_db, pytest.mark.demo]


@pytest.fixture(scope="module", autouse=True)
def demo(pingxiang_demo):
    return pingxiang_demo


def _row(year, name):
    return UnitAssessment.objects.select_related("unit").get(scheme__year=year, unit__name=name)


@pytest.mark.parametrize(
    ("year", "name", "total", "rank", "grade"),
    [
        (2010, "安源区", "93.47", 3, "excellent"),
        (2010, "湘东区", "92.67", 4, "excellent"),
        (2010, "市人社局", "99.00", 1, "excellent"),
        (2008, "安源区", "89.56", 3, "good"),
        (2011, "湘东区", "81.84", 1, "good"),
    ],
)
def test_known_units_have_their_known_totals(year, name, total, rank, grade):
    a = _row(year, name)
    assert (a.total, a.rank, a.grade) == (Decimal(total), rank, grade)


def test_every_unit_of_every_group_is_assessed_each_year():
    for year in data.YEARS:
        groups = dict(
            UnitAssessment.objects.filter(scheme__year=year)
            .values_list("group")
            .annotate(n=Count("pk"))
        )
        assert groups == {"county": 5, "department": 87, "township": 46}


def test_published_years_are_frozen_and_the_current_one_is_open():
    statuses = dict(AssessmentScheme.objects.values_list("year", "status"))
    assert statuses == {2008: "frozen", 2009: "frozen", 2010: "frozen", 2011: "active"}
    assert (
        not UnitAssessment.objects.filter(scheme__year__lt=2011)
        .exclude(status="published")
        .exists()
    )
    assert not Score.objects.filter(pending=True).exists()
    # Each published assessment went draft → (self-scored →) reviewed → published.
    published = Transition.objects.filter(
        to_state="published", content_type=ContentType.objects.get_for_model(UnitAssessment)
    )
    assert published.count() == 3 * 138


def test_ties_share_a_rank_in_the_demo():
    tied = list(
        UnitAssessment.objects.filter(scheme__year=2010, group="department", rank=3)
        .order_by("unit__code")
        .values_list("unit__name", "total")
    )
    assert tied == [("市国资委", Decimal("97.50")), ("市规划局", Decimal("97.50"))]
    assert not UnitAssessment.objects.filter(scheme__year=2010, group="department", rank=4).exists()


def test_every_lost_point_is_explained_by_its_lines():
    """Regular indicators: max − points = Σ lines (to the cent), unless the
    lines exceed the maximum (capped)."""
    for score in Score.objects.filter(
        assessment__scheme__year=2010, indicator__rule_kind__in=["auto", "manual"]
    ).prefetch_related("deductions"):
        lost = score.max_points - score.points
        lines = sum((d.points for d in score.deductions.all()), Decimal(0))
        assert lost == min(lines, score.max_points), (score.pk, lost, lines)
    assert Deduction.objects.filter(reason="").count() == 0


def test_whole_year_recomputed_gives_the_same_totals_in_seconds():
    """Every unit, every indicator of 2011 (the open year): recomputed with
    the same data, the same totals to the cent."""
    scheme = AssessmentScheme.objects.get(year=2011)
    before = list(
        UnitAssessment.objects.filter(scheme=scheme).order_by("pk").values_list("total", "rank")
    )
    started = time.perf_counter()
    computed = services.assessment_compute(scheme=scheme, actor=None, as_of=date(2011, 7, 31))
    seconds = time.perf_counter() - started
    assert computed == 138
    after = list(
        UnitAssessment.objects.filter(scheme=scheme).order_by("pk").values_list("total", "rank")
    )
    assert after == before
    assert seconds < 20, seconds  # about 2 s on the development machine


def test_a_vetoed_unit_is_graded_poor_whatever_its_total():
    vetoed = UnitAssessment.objects.get(vetoed=True)
    assert (vetoed.scheme.year, vetoed.group, vetoed.grade) == (2009, "department", "poor")
    assert vetoed.total >= vetoed.scheme.good_from  # its points alone would have graded it higher
    assert "严重违纪被立案审查" in vetoed.veto_reason
