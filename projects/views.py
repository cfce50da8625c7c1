"""Pages of the project workspace. Views are thin: they read through
projects.workspace (every queryset restricted to the user), filter through
projects.filters, and render. Writes will call projects.services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects import charts, workspace
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
    kind = workspace.home_kind(user)
    context = {"kind": kind, "kinds": workspace.HomeKind}
    if kind == workspace.HomeKind.EDITOR:
        due, due_total = workspace.due_items(user)
        projects = workspace.my_projects(user)
        assignments = workspace.my_assignments(user)
        returned = workspace.returned_ledger_entries(user)
        context.update(
            projects=projects[: workspace.HOME_LIST_LIMIT],
            projects_total=projects.count(),
            assignments=assignments[: workspace.HOME_LIST_LIMIT],
            assignments_total=assignments.count(),
            due_items=due,
            due_total=due_total,
            due_days=workspace.DUE_SOON_DAYS,
            returned=returned[: workspace.HOME_LIST_LIMIT],
            returned_total=returned.count(),
            today=timezone.localdate(),
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
    paginator = Paginator(filterset.qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
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
    page = workspace.project_page(request.user, project)
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
            "today_x": axis.pct(timezone.localdate())
            if axis.contains(timezone.localdate())
            else None,
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
    axis = charts.Axis.for_year(year)
    projects = workspace.unit_wall_projects(request.user, unit, year)
    today = timezone.localdate()
    return render(
        request,
        "projects/unit_wall.html",
        {
            "unit": unit,
            "year": year,
            "years": years,
            "axis_months": axis.months(),
            "rows": charts.wall_rows(axis, projects, _project_url),
            "today_x": axis.pct(today) if axis.contains(today) else None,
        },
    )
