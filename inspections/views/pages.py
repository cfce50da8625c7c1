"""Page helpers shared by the views of the escalation ladder, inspections,
findings and meetings: list pages (filters, `q`, sortable columns,
pagination, empty state), form pages calling one service, and the 404/403
rule (not visible → 404, visible but not allowed → 403)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from pingxiang_cf.scope import VIEW
from projects.actions import put_errors

PAGE_SIZE = 50


def visible_or_404(queryset, user, **lookup):
    obj = queryset.restrict(user, VIEW).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def deny_unless(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("您没有权限执行此操作。"))


def sort_columns(columns, current: str) -> list[dict]:
    """Header links: each sortable column toggles ascending/descending."""
    result = []
    for param, label in columns:
        column = {"label": label, "param": param, "active": None}
        if param:
            if current == param:
                column.update(active="asc", next=f"-{param}")
            elif current == f"-{param}":
                column.update(active="desc", next=param)
            else:
                column["next"] = param
        result.append(column)
    return result


def list_page(request, *, filterset_class, queryset, template, columns, **context):
    """A filtered, searched, sorted list, 50 rows a page."""
    filterset = filterset_class(request.GET or None, queryset=queryset, request=request)
    paginator = Paginator(filterset.qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    active_filters = [
        name
        for name in filterset.filters
        if name != "o" and filterset.form.data.get(name) not in (None, "")
    ]
    return render(
        request,
        template,
        {
            "filter": filterset,
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "columns": sort_columns(columns, request.GET.get("o", "")),
            "active_filters": active_filters,
            **context,
        },
    )


def form_page(
    request,
    *,
    form,
    call: Callable,
    done: str,
    next_url: str | Callable,
    heading: str,
    back_url: str,
    submit: str,
    danger: bool = False,
    rename=None,
    **context,
):
    """Validate `form` on POST, call the service `call(cleaned_data)`; a
    ValidationError goes back onto the form and nothing is saved. On
    success: a message and a redirect to `next_url` (or `next_url(result)`)."""
    if request.method == "POST" and form.is_valid():
        try:
            result = call(form.cleaned_data)
        except ValidationError as exc:
            put_errors(form, exc, rename)
        else:
            messages.success(request, done)
            return redirect(next_url(result) if callable(next_url) else next_url)
    return render(
        request,
        "inspections/inspection_form.html",
        {
            "form": form,
            "heading": heading,
            "back_url": back_url,
            "submit": submit,
            "danger": danger,
            "multipart": any(f.widget.needs_multipart_form for f in form.fields.values()),
            **context,
        },
    )


def post_action(request, *, call: Callable, done: str, next_url: str):
    """A POST-only step without input (e.g. 'start rectifying')."""
    try:
        call()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect(next_url)


def file_download(obj):
    """An evidence file as an attachment under its original name."""
    try:
        handle = obj.evidence.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=obj.evidence_name or "evidence",
        content_type=obj.evidence_type or "application/octet-stream",
    )
