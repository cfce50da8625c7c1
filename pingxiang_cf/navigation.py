"""The main navigation: which entries a user sees and which one is current.

Business pages are offered to business roles only; the three administrators
(三员) see their own desk (security/) and, as staff, the admin. Which entry is
current follows the resolved URL (namespace and name prefix), first match
wins, so the template holds no routing logic."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from pingxiang_cf.scope import get_user_scope

EVERYONE, BUSINESS, ADMINISTRATORS, STAFF = "everyone", "business", "administrators", "staff"


@dataclass(frozen=True)
class NavEntry:
    label: Promise
    url_name: str
    audience: str = BUSINESS
    # (namespace, url-name prefix) pairs that make this entry current.
    current: tuple[tuple[str, str], ...] = ()
    children: tuple[NavEntry, ...] = ()


@dataclass
class NavLink:
    label: Promise
    url: str
    active: bool = False
    children: list[NavLink] = field(default_factory=list)


MAIN_NAV: tuple[NavEntry, ...] = (
    NavEntry(_("工作台"), "home", EVERYONE, (("", "home"),)),
    NavEntry(_("项目库"), "projects:list", current=(("projects", ""),)),
    NavEntry(_("统计看板"), "dashboards:index", current=(("dashboards", ""),)),
    NavEntry(
        _("通报"),
        "inspections:notice-list",
        current=(("inspections", "cycle"), ("inspections", "notice"), ("inspections", "report")),
    ),
    NavEntry(_("督查督办"), "inspections:letter-list", current=(("inspections", ""),)),
    NavEntry(
        _("责任制落实"),
        "accountability:letters",
        current=(("accountability", ""),),
        children=(
            NavEntry(_("责任书"), "accountability:letters"),
            NavEntry(_("签订情况"), "accountability:letter-completeness"),
            NavEntry(_("领导小组"), "accountability:groups"),
            NavEntry(_("廉政风险图"), "accountability:risk-maps"),
            NavEntry(_("表彰与责任追究"), "accountability:register"),
            NavEntry(_("干部信息"), "accountability:officials"),
        ),
    ),
    NavEntry(_("年度考核"), "assessments:list", current=(("assessments", ""),)),
    NavEntry(_("安全管理"), "security:home", ADMINISTRATORS, (("security", ""),)),
    NavEntry(_("管理后台"), "admin:index", STAFF, (("admin", ""),)),
)


def _audiences(user) -> set[str]:
    scope = get_user_scope(user)
    audiences = {EVERYONE}
    if user.is_superuser or not scope.is_admin_only:
        audiences.add(BUSINESS)
    if user.is_superuser or scope.is_admin_only:
        audiences.add(ADMINISTRATORS)
    if user.is_staff:
        audiences.add(STAFF)
    return audiences


def _is_current(entry: NavEntry, match) -> bool:
    if match is None:
        return False
    namespace, name = match.namespace, match.url_name or ""
    return any(namespace == ns and name.startswith(prefix) for ns, prefix in entry.current)


def main_nav(user, match=None) -> list[NavLink]:
    """The entries `user` may open, the current one (for `match`, a
    ResolverMatch) marked active."""
    if not user.is_authenticated:
        return []
    audiences = _audiences(user)
    links, found = [], False
    for entry in MAIN_NAV:
        if entry.audience not in audiences:
            continue
        try:
            link = NavLink(entry.label, reverse(entry.url_name))
        except NoReverseMatch:
            continue  # an app left out of this installation
        if not found and _is_current(entry, match):
            link.active = found = True
        link.children = [NavLink(child.label, reverse(child.url_name)) for child in entry.children]
        links.append(link)
    return links
