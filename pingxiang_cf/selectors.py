"""Reads of the shared records."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast

from pingxiang_cf.models import BaseModel, Notification, Transition
from pingxiang_cf.scope import VIEW, get_user_scope


def transitions_visible_to(user, queryset=None):
    """Transition rows are readable like the object they belong to: all of
    them for users who see everything, otherwise those whose object the user
    may view, model by model."""
    queryset = Transition.objects.all() if queryset is None else queryset
    scope = get_user_scope(user)
    if scope.sees_all:
        return queryset
    visible = Q(pk__in=[])
    for model in apps.get_models():
        if not issubclass(model, BaseModel):
            continue
        object_ids = (
            model.objects.restrict(user, VIEW)
            .annotate(pk_text=Cast("pk", models.CharField()))
            .values("pk_text")
        )
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        visible |= Q(content_type=content_type, object_id__in=object_ids)
    return queryset.filter(visible)


# --- Notifications (the bell) ---------------------------------------------------------


def unread_count(user) -> int:
    """How many of the user's notifications are unread (one query)."""
    return Notification.objects.restrict(user).unread().count()


def notifications_for(user, *, unread_only: bool = False):
    """The user's notifications, newest first, with their content type; the
    object each is about is `notification.target` (prefetch it with
    `.prefetch_related("target")` when a page shows it)."""
    queryset = Notification.objects.restrict(user).select_related("content_type")
    return queryset.unread() if unread_only else queryset
