"""Template context shared by every page."""

from __future__ import annotations

from functools import cache

from pingxiang_cf.navigation import main_nav
from pingxiang_cf.selectors import unread_count


def notifications(request) -> dict:
    """`unread_notification_count` for the bell: a callable the template
    resolves on first use (one query, cached for the rest of the render), so a
    response that never shows the bell pays nothing. 0 when signed out."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notification_count": 0}

    @cache
    def count() -> int:
        return unread_count(user)

    return {"unread_notification_count": count}


def navigation(request) -> dict:
    """`main_nav`: the navigation entries for this user, the current one
    marked (pingxiang_cf/navigation.py); computed only if the page shows it."""
    user = getattr(request, "user", None)
    if user is None:
        return {"main_nav": []}

    @cache
    def entries():
        # A view that serves another page's content at its own URL (the
        # leaders' home is their dashboard) names that page in `nav_match`.
        match = getattr(request, "nav_match", None) or getattr(request, "resolver_match", None)
        return main_nav(user, match)

    return {"main_nav": entries}
