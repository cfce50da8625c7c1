"""The leaders' dashboard: read-only pages (GET only; any other method is
405). Reads through dashboards.selectors, presentation in dashboards.page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from dashboards import exports, page, selectors, snapshots
from dashboards.forms import DashboardFilterForm
from pingxiang_cf.roles import Role
from pingxiang_cf.scope import get_user_scope
from projects import views as project_views

FILTERED = ("tier", "program", "mechanism")
NO_OPTIONS = {"tiers": {}, "programs": {}, "mechanisms": {}}


BODY_CACHE_SECONDS = 600


def _lookup(request):
    """The unit and year asked for, the node (404 outside the user's scope)
    and its snapshot for the year when the page may be read from one."""
    bare = DashboardFilterForm(request.GET, options=NO_OPTIONS)  # unit and year only
    node = selectors.dashboard_node(request.user, bare.value("unit"))
    snapshot = None
    if not any(request.GET.get(name) for name in FILTERED):
        snapshot = snapshots.read(request.user, node, bare.value("year"))
    return bare, node, snapshot


def _page_data(request, node=None, snapshot=None, *, looked_up=False):
    """The page's form and data: from the node's snapshot when there is one
    for these filters (dashboards.snapshots), else computed live."""
    user, today = request.user, timezone.localdate()
    if not looked_up:
        _bare, node, snapshot = _lookup(request)
    if snapshot is not None:
        node_data, view, _built_at = snapshot
        options = selectors.options_of(node_data)
    else:
        options = selectors.filter_options()
    form = DashboardFilterForm(request.GET, options=options)
    filters = form.filters()
    if snapshot is not None:
        data = selectors.assemble(user, node, filters, node_data, view, today=today)
    else:
        data = selectors.dashboard(user, node, filters, options=options, today=today)
    data["from_snapshot"] = snapshot is not None
    return form, data


def _body_key(request, node, year, snapshot) -> str:
    """The cached body of a snapshot's page. Everything below the page head
    is the same for every reader of the snapshot (its links carry only the
    filters), so it is keyed by the node, the year, the unit asked for (the
    form keeps it), the snapshot's build time and the language."""
    built_at = snapshot[2].isoformat()
    unit = request.GET.get("unit", "")
    return f"dashboards:body:{node.pk}:{year or 0}:{unit}:{built_at}:{get_language()}"


def _shell(request, node, crumbs, filters, body, **extra):
    """The page around the body: title, the user's own crumbs, freshness."""
    for crumb in crumbs:
        crumb.link = page.dashboard_url(filters, crumb)
    context = {
        **extra,
        "node": node,
        "crumbs": crumbs,
        "filters": filters,
        "freshness": selectors.freshness(),
        "export_url": page.export_url(filters, node),
        "body": body,
    }
    return render(request, "dashboards/dashboard.html", context)


def _context(form, data) -> dict:
    """What the body template shows (links built once per page)."""
    filters = data["filters"]
    node = data["node"]
    links = page.Links(filters)
    for row in data["children"]:
        row.link = links.row(row)
    for row in data["heat"]:
        row.link = links.row(row)
        row.cells = [(value, page.heat_class(value, data["heat_max"])) for value in row.months]
    for row in data["categories"]:
        row.link = page.projects_url(filters, category=row.key)
    return {
        **data,
        "form": form,
        "charts": page.chart_data(data),
        "export_url": page.export_url(filters, node),
        "links": {
            "projects": page.projects_url(filters),
            "light": {
                color: page.projects_url(filters, light=color)
                for color in ("green", "yellow", "red")
            },
            # Plan tasks have no page of their own: the registry of the
            # projects that carry them out, under the same filters.
            "plan_projects": page.projects_url(filters),
            # Units have no list page: the node's own wall chart (its projects
            # month by month), for the year filtered or its latest.
            "units": page.unit_wall_url(node, filters),
            "notices": page.list_url("inspections:notice-list", status="published"),
            # The units named in published notices: those notices.
            "notified": page.list_url("inspections:notice-list", status="published"),
            "routine": page.list_url("inspections:inspection-list", kind="routine"),
            "concentrated": page.list_url("inspections:inspection-list", kind="concentrated"),
            "letters": page.list_url("inspections:letter-list"),
            "findings": page.list_url("inspections:finding-list"),
            "findings_rectified": page.list_url("inspections:finding-list", status="verified"),
            "commendations": page.list_url("accountability:commendations"),
            "accountability": page.list_url("accountability:cases"),
        },
        "year_links": {
            row.key: page.dashboard_url(filters, node, year=row.key) for row in data["years"]
        },
    }


@login_required
@require_GET
def index(request):
    """The dashboard of the unit asked for (?unit=), or the user's own; from
    a snapshot, the body comes from the cache once rendered."""
    bare, node, snapshot = _lookup(request)
    year = bare.value("year")
    key = _body_key(request, node, year, snapshot) if snapshot is not None else None
    body = cache.get(key) if key else None
    if body is not None:
        crumbs = selectors.visible_crumbs(request.user, snapshot[0])
        filters = selectors.Filters(year=year)
        return _shell(request, node, crumbs, filters, body, from_snapshot=True, body_cached=True)
    form, data = _page_data(request, node, snapshot, looked_up=True)
    context = _context(form, data)
    body = render_to_string("dashboards/_body.html", context)
    if key:
        cache.set(key, body, BODY_CACHE_SECONDS)
    shell = {k: v for k, v in context.items() if k not in ("node", "crumbs", "filters")}
    return _shell(request, node, data["crumbs"], data["filters"], body, **shell)


@login_required
@require_GET
def export(request):
    """The page's tables as an XLSX workbook."""
    form, data = _page_data(request)
    return exports.dashboard_xlsx_response(data)


def is_leader_home(user) -> bool:
    """Leaders (and only they, when they hold no editor role) land on the dashboard."""
    scope = get_user_scope(user)
    return (
        Role.LEADER in scope.roles
        and not scope.edits_all
        and scope.roles
        <= {
            Role.LEADER,
            Role.AUDITOR,
        }
    )


@login_required
def home(request):
    """`/`: the dashboard for leaders, the workspace home for everyone else."""
    if request.method == "GET" and is_leader_home(request.user):
        return index(request)
    return project_views.home(request)
