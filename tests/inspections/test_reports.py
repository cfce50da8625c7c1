"""The semiannual supervision report of a county or department: exact
figures from a known half-year, one report per unit under reruns, PDF read
back."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from inspections.choices import CycleKind, FindingStatus, LetterStatus
from inspections.models import SupervisionReport
from inspections.services.cycles import cycle_run
from inspections.services.reports import (
    render_report_pdf,
    report_unit_ids,
    supervision_report_generate,
)
from projects.choices import LedgerStatus
from tests import factories as f
from tests.pdfcheck import assert_cjk_font_embedded, pdf_text

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def half_year(tree):
    """county_a (with its township): a project at 60 %, three findings of the
    half-year (one closed in time, one closed after it ended, one open and
    overdue), two letters (one answered). county_b: nothing but itself."""
    county_a, township = tree["county_a"], tree["township_a"]
    project = f.ProjectFactory(year=2011, number="2011-031", lead_unit=county_a)
    f.LedgerEntryFactory(
        project=project,
        entry_date=D(2011, 6, 1),
        progress_percent=60,
        status=LedgerStatus.VERIFIED,
    )
    inspection = f.InspectionFactory(started_on=D(2011, 3, 10), ended_on=D(2011, 3, 12))
    f.FindingFactory(
        inspection=inspection,
        unit=county_a,
        deadline=D(2011, 4, 30),
        status=FindingStatus.VERIFIED,
        closed_on=D(2011, 4, 20),
    )
    f.FindingFactory(
        inspection=inspection,
        unit=township,
        deadline=D(2011, 5, 31),
        status=FindingStatus.VERIFIED,
        closed_on=D(2011, 7, 5),
    )
    f.FindingFactory(inspection=inspection, unit=county_a, deadline=D(2011, 6, 15))
    old = f.InspectionFactory(started_on=D(2010, 11, 1), ended_on=D(2010, 11, 2))
    f.FindingFactory(inspection=old, unit=county_a, deadline=D(2010, 12, 1))  # earlier half
    f.SupervisionLetterFactory(
        unit=county_a,
        number="萍纪惩办督〔2011〕1号",
        issued_on=D(2011, 4, 1),
        reply_deadline=D(2011, 4, 15),
        status=LetterStatus.ANSWERED,
        reply="已整改",
        replied_on=D(2011, 4, 12),
    )
    f.SupervisionLetterFactory(
        unit=township,
        number="萍纪惩办督〔2011〕2号",
        issued_on=D(2011, 6, 1),
        reply_deadline=D(2011, 6, 16),
        status=LetterStatus.ISSUED,
    )
    return cycle_run(kind=CycleKind.SEMIANNUAL, period="2011-H1")


def test_report_figures_of_a_county_cover_the_units_below_it(half_year, tree):
    figures = half_year.snapshot["reports"][str(tree["county_a"].pk)]
    projects = figures["projects"]
    assert (projects["count"], projects["progress"], projects["green"]) == (1, 60.0, 1)
    findings = figures["findings"]
    assert (findings["count"], findings["closed"], findings["open"], findings["overdue"]) == (
        3,
        1,
        2,
        2,
    )
    letters = figures["letters"]
    assert (letters["count"], letters["answered"], letters["unanswered"], letters["overdue"]) == (
        2,
        1,
        1,
        1,
    )
    other = half_year.snapshot["reports"][str(tree["county_b"].pk)]
    assert (other["projects"]["count"], other["findings"]["count"]) == (0, 0)
    # a department with nothing in the half-year gets no report
    assert str(tree["department"].pk) not in half_year.snapshot["reports"]


def test_one_report_per_unit_whatever_the_reruns(half_year, tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    ids = report_unit_ids(half_year)
    for _ in range(2):
        for unit_id in ids:
            supervision_report_generate(cycle=half_year, unit_id=unit_id, render=False)
    assert SupervisionReport.objects.filter(cycle=half_year).count() == len(ids) == 2
    report, changed = supervision_report_generate(
        cycle=half_year, unit_id=tree["county_a"].pk, render=False
    )
    assert changed is False
    with pytest.raises(ValidationError, match="不在本周期的督导范围内"):
        supervision_report_generate(cycle=half_year, unit_id=tree["department"].pk)


def test_report_pdf_reads_back(half_year, tree):
    report, _changed = supervision_report_generate(
        cycle=half_year, unit_id=tree["county_a"].pk, render=False
    )
    pdf = render_report_pdf(report)
    flat = "".join(pdf_text(pdf).split())
    assert "甲县2011年上半年惩防体系建设督导报告" in flat
    assert "本半年督查发现问题3个,已整改销号1个,尚未销号2个(其中逾期2个)" in flat
    assert "本半年收到督办函2件,已书面回复1件,未回复1件(其中逾期1件)" in flat
    assert_cjk_font_embedded(pdf)
