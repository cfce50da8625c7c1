"""Reads for the accountability app."""

from pingxiang_cf.scope import UserScope


def user_scope(user) -> UserScope:
    """The roles a user holds and the paths of the units they hold them in."""
    from accountability.models import Membership

    rows = list(
        Membership.objects.filter(user=user, unit__is_active=True).values_list(
            "role", "unit__path", "unit__parent_id"
        )
    )
    return UserScope(
        is_superuser=user.is_superuser,
        grants=tuple((role, path) for role, path, _parent in rows),
        holds_root=any(parent is None for _role, _path, parent in rows),
    )
