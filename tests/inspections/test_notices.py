"""The monthly notice's workflow (draft → reviewed → published), who may do
each step, the frozen published notice, numbering, visibility, and the PDF
read back."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from inspections.choices import CycleKind, NoticeStatus
from inspections.models import Notice, NoticeUnit, SupervisionCycle
from inspections.selectors import criticised_unit_count
from inspections.services import notices as svc
from inspections.services.cycles import cycle_run
from pingxiang_cf.models import Transition
from projects.choices import LedgerStatus
from projects.models import Project
from tests import factories as f
from tests.pdfcheck import assert_cjk_font_embedded, pdf_text

D = datetime.date


@pytest.fixture
def notice(tree):
    red = f.ProjectFactory(year=2011, number="2011-009", lead_unit=tree["county_b"])
    f.MilestoneFactory(project=red, planned_date=D(2011, 3, 1), planned_progress=60)
    green = f.ProjectFactory(year=2011, number="2011-010", lead_unit=tree["county_a"])
    f.LedgerEntryFactory(
        project=green,
        entry_date=D(2011, 3, 5),
        progress_percent=40,
        status=LedgerStatus.VERIFIED,
    )
    cycle = cycle_run(kind=CycleKind.MONTHLY, period="2011-03")
    return Notice.objects.get(cycle=cycle)


def _states(notice):
    return list(
        Transition.objects.filter(object_id=str(notice.pk)).values_list("from_state", "to_state")
    )


def test_commission_reviews_then_publishes_with_the_next_number_of_the_year(notice, commission):
    f.NoticeFactory(number="萍纪惩办通〔2011〕4号", status=NoticeStatus.DRAFT)
    svc.notice_review(notice, actor=commission)
    published = svc.notice_publish(notice, actor=commission, issued_on=D(2011, 4, 8))
    assert published.status == NoticeStatus.PUBLISHED
    assert published.number == "萍纪惩办通〔2011〕5号"
    assert published.issued_on == D(2011, 4, 8)
    assert _states(notice) == [("draft", "reviewed"), ("reviewed", "published")]


def test_a_draft_cannot_be_published_without_review(notice, commission):
    with pytest.raises(ValidationError, match="不能执行此操作"):
        svc.notice_publish(notice, actor=commission)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT


@pytest.mark.parametrize("persona", ["editor_a", "co_editor_b", "leader", "auditor"])
def test_only_the_commission_moves_a_notice(notice, commission, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        svc.notice_review(notice, actor=user)
    with pytest.raises(PermissionDenied):
        svc.notice_update(notice, actor=user, title="x", body="y")
    svc.notice_review(notice, actor=commission)
    for step in (svc.notice_publish, svc.notice_return):
        with pytest.raises(PermissionDenied):
            step(notice, actor=user, **({"reason": "r"} if step is svc.notice_return else {}))
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.REVIEWED


def test_return_needs_a_reason(notice, commission):
    svc.notice_review(notice, actor=commission)
    with pytest.raises(ValidationError, match="请填写退回理由"):
        svc.notice_return(notice, actor=commission, reason="  ")
    svc.notice_return(notice, actor=commission, reason="数据需核实")
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.DRAFT
    assert Transition.objects.filter(object_id=str(notice.pk), reason="数据需核实").exists()


def _publish(notice, commission):
    svc.notice_review(notice, actor=commission)
    return svc.notice_publish(notice, actor=commission, issued_on=D(2011, 4, 8))


def test_a_published_notice_is_frozen(notice, commission):
    _publish(notice, commission)
    before = (notice.title, notice.body, list(notice.named_units.values_list("pk", flat=True)))
    snapshot = SupervisionCycle.objects.get(pk=notice.cycle_id).snapshot
    with pytest.raises(ValidationError, match="已发布的通报已冻结"):
        svc.notice_update(notice, actor=commission, title="新标题", body="改")
    with pytest.raises(ValidationError, match="已发布的通报已冻结"):
        svc.notice_regenerate(notice, actor=commission)
    with pytest.raises(ValidationError, match="已发布的通报已冻结"):
        svc.notice_unit_remove(notice.named_units.first(), actor=commission, reason="r")
    # new data, and the cycle runs again: the published notice and its figures stay
    f.LedgerEntryFactory(
        project=Project.objects.get(number="2011-009"),
        entry_date=D(2011, 3, 30),
        progress_percent=100,
        status=LedgerStatus.VERIFIED,
    )
    cycle_run(kind=CycleKind.MONTHLY, period="2011-03")
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.PUBLISHED
    assert (notice.title, notice.body, list(notice.named_units.values_list("pk", flat=True))) == (
        before
    )
    assert SupervisionCycle.objects.get(pk=notice.cycle_id).snapshot == snapshot


def test_reopen_is_explicit_recorded_and_keeps_the_number(notice, commission):
    _publish(notice, commission)
    number = Notice.objects.get(pk=notice.pk).number
    with pytest.raises(ValidationError, match="撤回已发布的通报须说明理由"):
        svc.notice_reopen(notice, actor=commission, reason="")
    svc.notice_reopen(notice, actor=commission, reason="第二段数字有误")
    svc.notice_update(notice, actor=commission, title=notice.title, body="更正后的正文")
    svc.notice_review(notice, actor=commission)
    again = svc.notice_publish(notice, actor=commission, issued_on=D(2011, 4, 20))
    assert again.number == number
    assert ("published", "draft") in _states(notice)


def test_commission_takes_a_unit_off_a_draft_with_a_reason(notice, commission, tree):
    named = notice.named_units.get(is_criticism=True)
    assert named.unit == tree["county_b"]
    with pytest.raises(ValidationError):
        svc.notice_unit_remove(named, actor=commission, reason="")
    svc.notice_unit_remove(named, actor=commission, reason="已说明客观原因")
    notice.refresh_from_db()
    assert not notice.named_units.filter(is_criticism=True).exists()
    assert "乙县" not in notice.body
    assert "予以通报批评" not in notice.body


def test_drafts_are_seen_by_the_commission_only(notice, commission, leader, editor_b, outsider):
    for user in (leader, editor_b, outsider):
        assert not Notice.objects.restrict(user).filter(pk=notice.pk).exists()
        assert not NoticeUnit.objects.restrict(user).filter(notice=notice).exists()
    assert Notice.objects.restrict(commission).filter(pk=notice.pk).exists()
    _publish(notice, commission)
    for user in (leader, editor_b, outsider):
        assert Notice.objects.restrict(user).filter(pk=notice.pk).exists()
    assert NoticeUnit.objects.restrict(editor_b).filter(notice=notice).count() == 1
    assert criticised_unit_count(leader) == 1


def test_nobody_but_the_commission_may_change_a_notice(notice, commission, editor_b):
    assert not Notice.objects.restrict(editor_b, "change").exists()
    assert Notice.objects.restrict(commission, "change").filter(pk=notice.pk).exists()


def test_regenerating_a_draft_refreshes_it_from_new_figures(notice, commission, tree):
    project = Project.objects.get(number="2011-009")
    f.LedgerEntryFactory(
        project=project,
        entry_date=D(2011, 3, 28),
        progress_percent=70,
        status=LedgerStatus.VERIFIED,
    )
    svc.notice_regenerate(notice, actor=commission)
    notice.refresh_from_db()
    assert not notice.named_units.filter(is_criticism=True).exists()
    assert Notice.objects.filter(cycle=notice.cycle).count() == 1


def test_the_pdf_reads_back_with_number_title_figures_and_an_embedded_cjk_font(notice, commission):
    _publish(notice, commission)
    notice.refresh_from_db()
    pdf = svc.render_notice_pdf(notice)
    text = pdf_text(pdf)
    flat = "".join(text.split())
    assert "萍纪惩办通〔2011〕1号" in flat
    assert "关于2011年3月惩防体系建设项目进展情况的通报" in flat
    assert "中共萍乡市纪委惩防办" in flat
    assert "2011年4月8日" in flat
    assert "乙县" in flat and "2011-009" in flat
    assert_cjk_font_embedded(pdf)
