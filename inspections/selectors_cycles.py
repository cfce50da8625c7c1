"""Reads of the supervision-cycle pages (cycles, notices, semiannual
reports). Each function scopes first (`restrict`), then filters, and loads
its relations in a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q

from inspections.choices import NoticeStatus
from inspections.models import Notice, NoticeUnit, SupervisionCycle, SupervisionReport
from pingxiang_cf.models import Transition
from pingxiang_cf.scope import get_user_scope


def cycles_for(user):
    """Cycles with how many notices and reports the user can see in each."""
    notices = Q(notices__isnull=False)
    if not get_user_scope(user).edits_all:
        notices &= Q(notices__status=NoticeStatus.PUBLISHED)
    reports = SupervisionReport.objects.restrict(user).values("pk")
    return (
        SupervisionCycle.objects.restrict(user)
        .annotate(
            notice_count=Count("notices", filter=notices, distinct=True),
            report_count=Count("reports", filter=Q(reports__in=reports), distinct=True),
        )
        .defer("snapshot")
    )


def cycle_detail(user, pk):
    return SupervisionCycle.objects.restrict(user).filter(pk=pk).first()


def cycle_notices(user, cycle):
    return Notice.objects.restrict(user).filter(cycle=cycle).order_by("kind", "pk")


def cycle_reports(user, cycle):
    return (
        SupervisionReport.objects.restrict(user)
        .filter(cycle=cycle)
        .select_related("unit")
        .defer("figures")
        .order_by("unit__code")
    )


def notices_for(user):
    """Notices the user may see (published ones; every one for the commission)."""
    return Notice.objects.restrict(user).select_related("cycle").defer("cycle__snapshot")


def notice_detail(user, code):
    return Notice.objects.restrict(user).select_related("cycle").filter(code=code).first()


def notice_named(user, notice):
    return (
        NoticeUnit.objects.restrict(user)
        .filter(notice=notice)
        .select_related("unit")
        .order_by("-is_criticism", "unit__code")
    )


def notice_history(notice):
    """The notice's status changes, oldest first (call with a notice the user
    may see)."""
    content_type = ContentType.objects.get_for_model(Notice)
    return (
        Transition.objects.filter(content_type=content_type, object_id=str(notice.pk))
        .select_related("actor")
        .order_by("created_at", "pk")
    )


def reports_for(user):
    return (
        SupervisionReport.objects.restrict(user)
        .select_related("cycle", "unit")
        .defer("figures", "cycle__snapshot")
    )


def report_detail(user, code):
    return (
        SupervisionReport.objects.restrict(user)
        .select_related("cycle", "unit")
        .filter(code=code)
        .first()
    )
