"""The accountability figures on the Pingxiang demo data: letters signed and
not signed, the register's statistics (28 units + 30 leaders commended;
9 units + 13 leaders held accountable), risk maps and their versions, the
leading groups' history; and the pages at the demo's scale."""

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.urls import reverse

from accountability import selectors
from accountability.choices import ReviewStatus
from accountability.models import LeadingGroupMember, ResponsibilityLetter, RiskReview

pytestmark = [pytest.mark.django_db, pytest.mark.demo]


@pytest.fixture(scope="module", autouse=True)
def demo(pingxiang_demo):
    return pingxiang_demo


def _user(name):
    return get_user_model().objects.get(username=name)


def test_letters_signed_and_not_signed_by_year():
    commission = _user("commission")
    figures = {}
    for year in selectors.letter_years(commission):
        _rows, total = selectors.letter_completeness(commission, year)
        figures[year] = (total.total, total.signed, total.issued, total.draft, str(total.rate))
    assert figures == {
        2011: (328, 309, 15, 4, "94.21"),
        2010: (295, 295, 0, 0, "100.00"),
        2009: (281, 281, 0, 0, "100.00"),
        2008: (256, 256, 0, 0, "100.00"),
    }
    assert ResponsibilityLetter.objects.count() == 1160
    assert sum(t[1] for t in figures.values()) == 1141


def test_who_has_not_signed_in_2011_by_county_and_department():
    rows, _total = selectors.letter_completeness(_user("commission"), 2011)
    unsigned = {r.unit.name: (r.total, r.signed) for r in rows if r.unsigned}
    assert unsigned["安源区"] == (11, 9)
    assert unsigned["莲花县"] == (18, 16)
    assert unsigned["芦溪县"] == (13, 11)
    assert sum(t - s for t, s in unsigned.values()) == 19
    rows, total = selectors.letter_completeness(_user("anyuan"), 2011)
    assert [(r.unit.name, r.total, r.signed) for r in rows] == [("安源区", 11, 9)]


def test_register_statistics_match_the_seed():
    stats = selectors.register_statistics(_user("commission"))
    total = stats["total"]
    assert (total.commended_units, total.commended_leaders) == (28, 30)
    assert (total.accountable_units, total.accountable_leaders) == (9, 13)
    by_year = {
        r.key: (r.commended_units, r.commended_leaders, r.accountable_units, r.accountable_leaders)
        for r in stats["by_year"]
    }
    # The seed gives totals only (28 + 30, 9 + 13); the split by year is the demo's.
    assert by_year == {2008: (9, 10, 3, 2), 2009: (9, 10, 3, 8), 2010: (10, 10, 3, 3)}
    by_unit = stats["by_unit"]
    assert sum(r.commended_units for r in by_unit) == 28
    assert sum(r.accountable_leaders for r in by_unit) == 13


def test_risk_maps_are_versioned_by_year():
    counts = dict(
        RiskReview.objects.values_list("year", "status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
        .filter(year=2011)
    )
    assert counts == {"approved": 6, "submitted": 3, "draft": 1}
    assert RiskReview.objects.filter(year=2010, status=ReviewStatus.APPROVED).count() == 30
    review = RiskReview.objects.filter(year=2011).select_related("based_on").first()
    assert review.based_on.year == 2010
    data = selectors.risk_map(_user("commission"), review.unit, 2011)
    assert data.previous == review.based_on
    assert data.counts["total"] == data.previous_counts["total"] > 0
    assert data.processes and data.rules


def test_county_groups_keep_their_office_directors_history():
    ended = LeadingGroupMember.objects.filter(end_on__isnull=False)
    assert ended.count() == 4
    assert set(ended.values_list("position", flat=True)) == {"office_director"}


@pytest.mark.parametrize(
    "name",
    [
        "letters",
        "letter-completeness",
        "groups",
        "risk-maps",
        "risk-posts",
        "register",
        "commendations",
        "cases",
        "officials",
    ],
)
def test_pages_render_for_commission_and_a_county(client, name):
    for user in ("commission", "anyuan", "leader"):
        client.force_login(_user(user))
        assert client.get(reverse(f"accountability:{name}")).status_code == 200
