"""Pages of the shared machinery: the signed-in user's notifications (the bell).

Reads go through pingxiang_cf.selectors, the one write through
pingxiang_cf.notifications.notification_mark_read, which only ever touches the
actor's own rows."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from pingxiang_cf.models import Job
from pingxiang_cf.notifications import notification_mark_read
from pingxiang_cf.parsing import positive_id
from pingxiang_cf.selectors import notifications_for, unread_count

NOTIFICATION_PAGE_SIZE = 25

# Where a notification leads, by the model of the object it is about:
# "app_label.model" → (URL name, lookup from the object to the URL argument,
# fragment). Names only, no import: pingxiang_cf imports no app. A model not
# listed here gets no link.
NOTIFICATION_LINKS = {
    "projects.project": ("projects:detail", "code", ""),
    "projects.assignment": ("projects:detail", "project__code", "#splits"),
    "projects.ledgerentry": ("projects:detail", "project__code", "#ledger"),
    "inspections.supervisionletter": ("inspections:letter-detail", "code", ""),
    "inspections.interview": ("inspections:letter-detail", "letter__code", "#interview"),
    "inspections.supervisionreminder": ("inspections:unit-supervision", "unit_id", "#reminders"),
    "inspections.finding": ("inspections:finding-detail", "pk", ""),
    "inspections.meetingactionitem": ("inspections:meeting-detail", "meeting_id", "#items"),
}


def _object_key(pk_field, object_id: str):
    try:
        return pk_field.to_python(object_id)
    except ValidationError:
        return None


def attach_notification_urls(notifications) -> list:
    """Set `url` on each notification: the page of the object it is about, or
    "" when that kind of object has no page or the object is gone. One query
    per kind of object present (at most len(NOTIFICATION_LINKS)), whatever the
    number of notifications. The page itself still checks visibility."""
    notifications = list(notifications)
    by_type = defaultdict(list)
    for notification in notifications:
        notification.url = ""
        by_type[notification.content_type_id].append(notification)
    for items in by_type.values():
        content_type = items[0].content_type
        link = NOTIFICATION_LINKS.get(f"{content_type.app_label}.{content_type.model}")
        model = content_type.model_class()
        if link is None or model is None:
            continue
        url_name, lookup, fragment = link
        pk_field = model._meta.pk
        keys = {n.pk: _object_key(pk_field, n.object_id) for n in items}
        wanted = {key for key in keys.values() if key is not None}
        arguments = dict(
            model._base_manager.filter(pk__in=wanted).order_by().values_list("pk", lookup)
        )
        for notification in items:
            argument = arguments.get(keys[notification.pk])
            if argument is not None:
                notification.url = reverse(url_name, args=[argument]) + fragment
    return notifications


@login_required
@require_GET
def notification_list(request):
    """The user's notifications, unread first, then newest first; 25 a page."""
    unread_only = request.GET.get("unread") == "1"
    queryset = notifications_for(request.user, unread_only=unread_only).order_by(
        Case(
            When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField()
        ),
        "-created_at",
        "-pk",
    )
    paginator = Paginator(queryset, NOTIFICATION_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = attach_notification_urls(page.object_list)
    return render(
        request,
        "pingxiang_cf/notification_list.html",
        {
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "unread_only": unread_only,
        },
    )


def _next_url(request) -> str:
    """Where to go after marking: the posted `next` if it is on this site."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("notifications:list")


@login_required
@require_POST
def notification_read(request):
    """Mark read the posted `notification` ids, or every unread one with
    `all`. Ids of other users' notifications are ignored by the service."""
    if request.POST.get("all"):
        marked = notification_mark_read(actor=request.user, all=True)
        messages.success(
            request,
            ngettext("已将 %(count)d 条消息标为已读。", "已将 %(count)d 条消息标为已读。", marked)
            % {"count": marked},
        )
    else:
        ids = [pk for v in request.POST.getlist("notification") if (pk := positive_id(v))]
        notification_mark_read(actor=request.user, notifications=ids)
    return redirect(_next_url(request))


@login_required
@require_GET
def notification_count(request):
    """The bell's unread count, for static/js/bell.js to refresh (one query)."""
    return JsonResponse({"unread": unread_count(request.user)})


# --- Background jobs ------------------------------------------------------------


def _visible_job(request, code) -> Job:
    """The job if the user may see it (its starter, or the commission); else 404."""
    return get_object_or_404(Job.objects.restrict(request.user), code=code)


@login_required
@require_GET
def job_detail(request, code):
    """The job's page: title, progress (polled while it runs), result."""
    job = _visible_job(request, code)
    return render(request, "pingxiang_cf/job_detail.html", {"job": job})


@login_required
@require_GET
def job_progress(request, code):
    """The progress fragment htmx swaps in every second; JSON for scripts."""
    job = _visible_job(request, code)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {
                "status": job.status,
                "done": job.done,
                "total": job.total,
                "percent": job.percent,
                "message": job.message,
                "error": job.error,
                "download": reverse("jobs:download", args=[job.code]) if job.file else None,
            }
        )
    return render(request, "includes/job_progress.html", {"job": job})


@login_required
@require_GET
def job_download(request, code):
    """The job's result file, as an attachment (never through MEDIA_URL)."""
    job = _visible_job(request, code)
    if not job.file:
        raise Http404
    try:
        handle = job.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=job.filename or job.file.name)
