"""Pages of the project workspace. Views are thin: they read through
projects.workspace (every queryset restricted to the user), filter through
projects.filters, and render. Writes will call projects.services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pingxiang_cf.scope import get_user_scope
from projects import charts, selectors, workspace
from projects.filters import ProjectFilterSet

PAGE_SIZE = 50

# Registry columns: (ordering parameter or None, header).
PROJECT_COLUMNS = (
    ("number", _("项目编号")),
    ("name", _("项目名称")),
    ("year", _("年度")),
    ("category", _("项目类别")),
    ("lead_unit", _("牵头单位")),
    ("stage", _("阶段")),
    (None, _("进度")),
    (None, _("预警")),
)


@login_required
def home(request):
    """The role home: what this user has to do next."""
    user = request.user
    if get_user_scope(user).is_admin_only:
        return redirect("security:home")  # the 三员 do no business work: their desk
    kind = workspace.home_kind(user)
    context = {"kind": kind, "kinds": workspace.HomeKind}
    if kind == workspace.HomeKind.EDITOR:
        today = timezone.localdate()
        limit = workspace.HOME_LIST_LIMIT
        due, due_total = workspace.due_items(user, today=today)
        projects = workspace.my_projects(user)
        assignments = workspace.my_assignments(user)
        returned = workspace.returned_ledger_entries(user)
        context.update(
            projects=workspace.projects_with_lights(projects, today=today, limit=limit),
            projects_total=projects.count(),
            assignments=workspace.assignments_with_lights(assignments, today=today, limit=limit),
            assignments_total=assignments.count(),
            due_items=due,
            due_total=due_total,
            due_days=workspace.due_soon_days(),
            returned=returned[:limit],
            returned_total=returned.count(),
            today=today,
        )
    elif kind == workspace.HomeKind.COMMISSION:
        waiting = workspace.ledger_entries_awaiting_verification(user)
        context.update(
            waiting=waiting[: workspace.HOME_LIST_LIMIT * 2],
            waiting_total=waiting.count(),
            overview=workspace.project_overview(user),
        )
    else:
        context.update(overview=workspace.project_overview(user))
    return render(request, "projects/home.html", context)


def _sort_columns(current: str):
    """Header links: each sortable column toggles ascending/descending."""
    columns = []
    for param, label in PROJECT_COLUMNS:
        column = {"label": label, "param": param, "active": None}
        if param:
            if current == param:
                column.update(active="asc", next=f"-{param}")
            elif current == f"-{param}":
                column.update(active="desc", next=param)
            else:
                column["next"] = param
        columns.append(column)
    return columns


@login_required
def project_list(request):
    """The project registry: filters, search, sortable columns, 50 a page."""
    filterset = ProjectFilterSet(
        request.GET or None, queryset=workspace.project_list(request.user), request=request
    )
    paginator = Paginator(selectors.annotate_project_progress(filterset.qs), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = selectors.attach_project_lights(page.object_list, today=timezone.localdate())
    current_order = request.GET.get("o", "")
    active_filters = [
        name
        for name in filterset.filters
        if name not in ("o",) and filterset.form.data.get(name) not in (None, "")
    ]
    return render(
        request,
        "projects/project_list.html",
        {
            "filter": filterset,
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "columns": _sort_columns(current_order),
            "active_filters": active_filters,
        },
    )


def _project_url(project) -> str:
    return reverse("projects:detail", args=[project.code])


@login_required
def project_detail(request, code):
    """A project: targets, splits, milestones, ledger, files, history, chart."""
    project = workspace.project_detail(request.user, code)
    if project is None:
        raise Http404
    today = timezone.localdate()
    page = workspace.project_page(request.user, project, today=today)
    dates = [project.start_date, project.end_date]
    dates += [m.planned_date for m in page.milestones] + [a.deadline for a in page.assignments]
    axis = charts.Axis.covering(*dates)
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "page": page,
            "read_only": workspace.can_read_only(request.user),
            "axis_months": axis.months(),
            "chart_rows": charts.project_rows(axis, project, page.milestones, page.assignments),
            "lights": charts.light_legend(),
            "today_x": axis.pct(today) if axis.contains(today) else None,
        },
    )


@login_required
def unit_wall(request, pk):
    """A unit's wall chart (挂图作业): its projects of one year on a month axis."""
    unit = workspace.unit_for_wall(request.user, pk)
    if unit is None:
        raise Http404
    years = workspace.unit_years(request.user, unit)
    try:
        year = int(request.GET.get("year") or (years[0] if years else timezone.localdate().year))
    except ValueError:
        year = years[0] if years else timezone.localdate().year
    if not 2000 <= year <= 2100:
        raise Http404
    axis = charts.Axis.for_year(year)
    today = timezone.localdate()
    projects = workspace.unit_wall_projects(request.user, unit, year, today=today)
    return render(
        request,
        "projects/unit_wall.html",
        {
            "unit": unit,
            "year": year,
            "years": years,
            "axis_months": axis.months(),
            "rows": charts.wall_rows(axis, projects, _project_url),
            "lights": charts.light_legend(),
            "today_x": axis.pct(today) if axis.contains(today) else None,
        },
    )
