"""The leaders' dashboard: read-only pages (GET only; any other method is
405). Reads through dashboards.selectors, presentation in dashboards.page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import resolve, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from dashboards import exports, page, selectors, snapshots
from dashboards.forms import DashboardFilterForm
from pingxiang_cf.parsing import positive_id
from pingxiang_cf.roles import Role
from pingxiang_cf.scope import get_user_scope
from projects import views as project_views

NO_OPTIONS = {"tiers": {}, "programs": {}, "mechanisms": {}}


BODY_CACHE_SECONDS = 600


def _asked_filters(request) -> selectors.Filters:
    """The tier, program and mechanism of the query string, before the form
    checks them against the options (which the snapshot holds): a value
    spelt otherwise than the form would accept it is no filter here, and
    _page_data() checks the snapshot against the cleaned filters anyway."""
    values = {}
    for name in selectors.DIMENSIONS:
        raw = request.GET.get(name, "")
        pk = positive_id(raw)
        values[name] = pk if str(pk) == raw else None  # as the form spells it: not "07", "２"
    return selectors.Filters(**values)


def _lookup(request):
    """The unit asked for, the node (404 outside the user's scope) and its
    snapshot when the page may be read from one (the node part, with the
    view part of the year and filter when one is stored)."""
    bare = DashboardFilterForm(request.GET, options=NO_OPTIONS)  # unit and year only
    node = selectors.dashboard_node(request.user, bare.value("unit"))
    variant = snapshots.variant_of(_asked_filters(request))
    snapshot = snapshots.read(request.user, node, bare.value("year"), variant=variant)
    return node, snapshot


def _form(request, snapshot) -> tuple[DashboardFilterForm, dict]:
    """The filter form and its options, from the snapshot when there is one (no query)."""
    options = selectors.options_of(snapshot.options) if snapshot else selectors.filter_options()
    return DashboardFilterForm(request.GET, options=options), options


def _page_data(request, node, snapshot, filters, options) -> dict:
    """The page's data: from the node's snapshot (the view part computed live
    when none is stored for these filters), else computed live altogether."""
    user, today = request.user, timezone.localdate()
    if snapshot is None:
        data = selectors.dashboard(user, node, filters, options=options, today=today)
    else:
        stored = snapshot.serves(filters)
        view = snapshot.view if stored else None
        if view is None:
            names = {info[0]: info[1] for info in snapshot.node_data["units"]}
            view = selectors.live_view_part(user, node, filters, names, today=today)
        data = selectors.assemble(user, node, filters, snapshot.node_data, view, today=today)
    data["from_snapshot"] = snapshot is not None and stored
    return data


def _body_key(node, unit, filters, snapshot) -> str:
    """The cached body of a snapshot's page. Everything below the page head
    is the same for every reader of the snapshot (its links carry only the
    filters), so it is keyed by the node, the unit asked for (the form keeps
    it), the cleaned filters, the snapshot's version and the language; a
    refresh writes new snapshots, hence new keys."""
    query = urlencode(sorted(filters.params(unit=unit).items()))
    return f"dashboards:body:{node.pk}:{query}:{snapshot.version}:{get_language()}"


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
        # The page lists the first TABLE_ROWS units below; the units page all.
        "children_table": data["children"][: page.TABLE_ROWS],
        "ranking_table": data["ranking"][: page.TABLE_ROWS],
        "units_url": page.units_url(filters, node),
        "ranking_url": page.units_url(filters, node, sort="on_time"),
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
    node, snapshot = _lookup(request)
    form, options = _form(request, snapshot)
    filters = form.filters()
    key = None
    if snapshot is not None:
        key = _body_key(node, form.value("unit"), filters, snapshot)
        body = cache.get(key)
        if body is not None:
            crumbs = selectors.visible_crumbs(request.user, snapshot.crumbs)
            return _shell(request, node, crumbs, filters, body, body_cached=True)
    data = _page_data(request, node, snapshot, filters, options)
    context = _context(form, data)
    body = render_to_string("dashboards/_body.html", context)
    if key:
        cache.set(key, body, BODY_CACHE_SECONDS)
    shell = {k: v for k, v in context.items() if k not in ("node", "crumbs", "filters")}
    return _shell(request, node, data["crumbs"], filters, body, **shell)


@login_required
@require_GET
def units(request):
    """Every unit directly below the node with its figures under the page's
    filters: the dashboard's table of units in full, sortable and paginated
    (the dashboard itself lists the first TABLE_ROWS)."""
    node, snapshot = _lookup(request)
    form, options = _form(request, snapshot)
    filters = form.filters()
    data = _page_data(request, node, snapshot, filters, options)
    sort = request.GET.get("sort", "")
    rows = selectors.sort_units(data["children"], sort, ranking=data["ranking"])
    links = page.Links(filters)
    paginator = Paginator(rows, page.UNITS_PER_PAGE)
    listing = paginator.get_page(request.GET.get("page"))
    for row in listing:
        row.link = links.row(row)
    for crumb in data["crumbs"]:
        crumb.link = page.dashboard_url(filters, crumb)
    context = {
        "node": node,
        "crumbs": data["crumbs"],
        "filters": filters,
        "sort": sort if sort in selectors.UNIT_SORTS else "",
        "sorts": page.unit_sort_links(filters, node, selectors.UNIT_SORTS),
        "page": listing,
        "page_range": paginator.get_elided_page_range(listing.number, on_each_side=2, on_ends=1),
        "dashboard_url": page.dashboard_url(filters, node),
        "export_url": page.export_url(filters, node),
        "freshness": selectors.freshness(),
        "from_snapshot": data["from_snapshot"],
    }
    return render(request, "dashboards/units.html", context)


@login_required
@require_GET
def export(request):
    """The page's tables as an XLSX workbook (every unit below, not only the
    first TABLE_ROWS)."""
    node, snapshot = _lookup(request)
    form, options = _form(request, snapshot)
    data = _page_data(request, node, snapshot, form.filters(), options)
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
        request.nav_match = resolve(reverse("dashboards:index"))  # 统计看板 is current
        return index(request)
    return project_views.home(request)
