"""The admin's shared machinery and the admin of the audit records.

Every app's admin is a declaration on `ScopedModelAdmin` (and the scoped
inlines): rows are read through `restrict(user, "view")`, per-object change
and delete go through `can(user, obj, "change")`, and every write (the
object, its many-to-many values, each inline row, each row of a bulk delete)
goes through the audited helpers of pingxiang_cf.services, in the admin's
transaction. Relations to big tables never render a select of all rows.
"""

from __future__ import annotations

import json

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models, router, transaction
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from pingxiang_cf.models import ApiToken, AuditLog, Job, Notification, Transition
from pingxiang_cf.scope import CHANGE, VIEW, can
from pingxiang_cf.selectors import transitions_visible_to
from pingxiang_cf.services import (
    audited_delete,
    begin_audited_write,
    finish_audited_write,
    stored_snapshot,
)

admin.site.site_header = _("萍乡市惩防体系项目化管理系统")
admin.site.site_title = _("萍乡市惩防体系项目化管理系统")
admin.site.index_title = _("惩防体系项目化管理")

# Where save_model leaves the before-snapshot for save_related to record.
_PENDING_AUDIT = "_pxcf_audit_before"
_NOTHING_PENDING = object()


# --- Column helpers -------------------------------------------------------------


def excerpt(model: type[models.Model], field_name: str, length: int = 30):
    """A changelist column with the first `length` characters of a text field,
    titled with the field's own verbose name."""
    field = model._meta.get_field(field_name)

    @admin.display(description=field.verbose_name, ordering=field_name)
    def column(obj):
        text = getattr(obj, field_name) or ""
        return text if len(text) <= length else f"{text[:length]}…"

    column.__name__ = f"{field_name}_excerpt"
    return column


def pretty_json(value) -> str:
    """Indented JSON with Chinese left readable, in a <pre> block."""
    if value in (None, "", {}, []):
        return "—"
    text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
    return format_html('<pre style="margin:0;white-space:pre-wrap">{}</pre>', text)


# --- Permissions --------------------------------------------------------------------


def can_in_request(request, obj, action: str) -> bool:
    """`can(user, obj, action)`, asked once per request and object: the admin
    asks the same question several times while rendering one page."""
    if obj.pk is None:
        return False
    memo = request.__dict__.setdefault("_pxcf_can", {})
    key = (obj._meta.label, obj.pk, action)
    if key not in memo:
        memo[key] = can(request.user, obj, action)
    return memo[key]


# --- Relation widgets ---------------------------------------------------------------

AUTOCOMPLETE = "autocomplete"
RAW_ID = "raw_id"
SELECT = "select"


class RelationWidgetsMixin:
    """Which widget each foreign key and many-to-many field gets, decided once
    for the whole admin from the target's admin:

    - a target administered by a scoped admin that is not `small_table`
      (units, projects, ledger entries ...) gets an autocomplete, which
      searches the target's own restricted queryset;
    - a target without a scoped admin (user accounts) gets a raw id input;
    - a reference table declared `small_table` (programs, tiers ...) keeps
      its select.

    Declaring `autocomplete_fields` or `raw_id_fields` on an admin replaces
    the derived tuple."""

    def relation_fields(self):
        opts = self.model._meta
        for field in [*opts.fields, *opts.many_to_many]:
            if not (field.is_relation and field.editable) or field.auto_created:
                continue
            if field.many_to_many and not field.remote_field.through._meta.auto_created:
                continue  # edited through its own inline
            if self.is_parent_link(field):
                continue
            yield field

    def is_parent_link(self, field) -> bool:
        """Inlines leave out the key to the object they are shown on."""
        return False

    def relation_widget(self, field) -> str:
        target_admin = self.admin_site._registry.get(field.related_model)
        if not isinstance(target_admin, ScopedModelAdmin):
            return RAW_ID
        return SELECT if target_admin.small_table else AUTOCOMPLETE

    def relation_fields_with(self, widget: str) -> tuple[str, ...]:
        return tuple(f.name for f in self.relation_fields() if self.relation_widget(f) == widget)

    @property
    def autocomplete_fields(self):
        return self.relation_fields_with(AUTOCOMPLETE)

    @property
    def raw_id_fields(self):
        return self.relation_fields_with(RAW_ID)


# --- Reading through the visibility rule -------------------------------------------------


class ScopedQuerysetMixin:
    """Every row the admin reads, in lists, pages, inlines and autocompletes,
    comes through `restrict(user, "view")`."""

    def get_queryset(self, request):
        return super().get_queryset(request).restrict(request.user, VIEW)


# --- Audited writes ---------------------------------------------------------------------


def save_formset_audited(formset, *, actor) -> None:
    """Save an inline formset row by row through the audited helpers: each
    deleted, added or changed row gets its own audit row, its after-values
    taken once the formset's many-to-many values are saved too."""
    instances = formset.save(commit=False)
    for obj in formset.deleted_objects:
        audited_delete(obj, actor=actor)
    pending = []
    for obj in instances:
        pending.append((obj, begin_audited_write(obj, actor=actor)))
        obj.save()
    formset.save_m2m()
    for obj, before in pending:
        finish_audited_write(obj, actor=actor, before=before)


def model_form_values(obj: models.Model, form) -> dict:
    """The model field values a form edits, as keyword arguments for a service."""
    return {
        f.name: getattr(obj, f.name)
        for f in obj._meta.concrete_fields
        if f.name in form.fields and not f.many_to_many
    }


def adopt_saved_state(target: models.Model, saved: models.Model) -> None:
    """Make the admin's instance the row a service saved (pk, derived fields)."""
    for f in saved._meta.concrete_fields:
        setattr(target, f.attname, getattr(saved, f.attname))
    target._state.adding = False
    target._state.db = saved._state.db


class ScopedModelAdmin(ScopedQuerysetMixin, RelationWidgetsMixin, admin.ModelAdmin):
    """Base of every domain model's admin.

    Reads: `restrict(user, "view")`; an out-of-scope object's page redirects
    like a missing one. Writes: the model permissions RoleBackend derives
    from roles, and per object `can(user, obj, "change")`; leaders and
    auditors hold view permissions only and so get view-only pages.

    Each save is one audited write: save_model reads the before-values from
    the database and saves the object, save_related saves the many-to-many
    values and the inlines (each inline row audited on its own) and then
    records the object's audit row with its final values. An admin whose
    model has a service that keeps derived data (the unit tree's path) names
    it in `create_service(*, actor, **fields)` / `update_service(obj, *,
    actor, **changes)`; the service then writes the object's audit row."""

    small_table = False  # reference data: relations to it may render a select
    create_service = None
    update_service = None
    list_per_page = 50
    show_full_result_count = False

    def get_search_results(self, request, queryset, search_term):
        """Also used by the autocomplete of every relation to this model, whose
        labels are `str(obj)`: join what the labels read, as the list does."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if isinstance(self.list_select_related, list | tuple) and self.list_select_related:
            queryset = queryset.select_related(*self.list_select_related)
        return queryset, may_have_duplicates

    # Object permissions on top of the model permissions.

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_in_request(request, obj, CHANGE))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_in_request(request, obj, CHANGE))

    # Writes.

    def service_for(self, change: bool):
        return self.update_service if change else self.create_service

    def save_model(self, request, obj, form, change):
        if self.service_for(change) is not None:
            self.save_through_service(request, obj, form, change)
            # The service recorded its write; what save_related adds on top
            # (many-to-many values) is recorded against this state.
            before = stored_snapshot(obj)
        else:
            before = begin_audited_write(obj, actor=request.user)
            obj.save()
        setattr(obj, _PENDING_AUDIT, before)

    def save_through_service(self, request, obj, form, change):
        values = model_form_values(obj, form)
        if change:
            stored = type(obj)._default_manager.get(pk=obj.pk)
            saved = self.update_service(stored, actor=request.user, **values)
        else:
            saved = self.create_service(actor=request.user, **values)
        adopt_saved_state(obj, saved)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        obj = form.instance
        before = obj.__dict__.pop(_PENDING_AUDIT, _NOTHING_PENDING)
        if before is not _NOTHING_PENDING:
            finish_audited_write(obj, actor=request.user, before=before)

    def save_formset(self, request, form, formset, change):
        save_formset_audited(formset, actor=request.user)

    def delete_model(self, request, obj):
        audited_delete(obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        """The "delete selected" action: one audited delete per row, all or none."""
        with transaction.atomic(using=router.db_for_write(self.model)):
            for obj in queryset:
                audited_delete(obj, actor=request.user)


class ScopedInlineMixin(ScopedQuerysetMixin, RelationWidgetsMixin):
    """Inlines read through the visibility rule; their rows are saved by the
    parent admin's `save_formset`, which audits each of them."""

    select_related: tuple[str, ...] = ()
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.select_related(*self.select_related) if self.select_related else queryset

    def is_parent_link(self, field) -> bool:
        if self.fk_name:
            return field.name == self.fk_name
        return field.many_to_one and field.related_model is self.parent_model


class ScopedTabularInline(ScopedInlineMixin, admin.TabularInline):
    pass


class ScopedStackedInline(ScopedInlineMixin, admin.StackedInline):
    pass


# --- The audit records: read-only for everyone ---------------------------------------------


class RecordAdmin(ScopedQuerysetMixin, admin.ModelAdmin):
    """Append-only records: nobody adds, changes or deletes them here, not even
    the commission (the models refuse it too)."""

    actions = None
    list_per_page = 100
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("对象类型"), ordering="content_type")
    def object_type(self, obj):
        return obj.content_type.name


def field_label(content_type: ContentType, name: str) -> str:
    """The verbose name of field `name` (or attname) of the recorded model."""
    model = content_type.model_class()
    try:
        return str(model._meta.get_field(name).verbose_name) if model else name
    except FieldDoesNotExist:
        return name


@admin.register(AuditLog)
class AuditLogAdmin(RecordAdmin):
    list_display = (
        "created_at",
        "actor_name",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "changed_summary",
    )
    list_filter = (
        "action",
        ("content_type", admin.RelatedOnlyFieldListFilter),
        "created_at",
    )
    search_fields = ("actor_name", "object_repr", "=object_id")
    list_select_related = ("content_type",)
    fields = (
        "created_at",
        "actor",
        "actor_name",
        "action",
        "content_type",
        "object_id",
        "object_repr",
        "reason",
        "changes",
        "before_values",
        "after_values",
    )
    readonly_fields = fields

    @admin.display(description=_("变更字段"))
    def changed_summary(self, obj):
        labels = [field_label(obj.content_type, name) for name in obj.changed_fields or []]
        return "、".join(labels) or "—"

    @admin.display(description=_("变更内容"))
    def changes(self, obj):
        before, after = obj.before or {}, obj.after or {}
        rows = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td><td>{}</td></tr>",
            (
                (
                    field_label(obj.content_type, name),
                    json.dumps(before.get(name), ensure_ascii=False),
                    json.dumps(after.get(name), ensure_ascii=False),
                )
                for name in obj.changed_fields or []
            ),
        )
        if not rows:
            return "—"
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            _("字段"),
            _("变更前"),
            _("变更后"),
            rows,
        )

    @admin.display(description=_("变更前"))
    def before_values(self, obj):
        return pretty_json(obj.before)

    @admin.display(description=_("变更后"))
    def after_values(self, obj):
        return pretty_json(obj.after)


@admin.register(Transition)
class TransitionAdmin(RecordAdmin):
    list_display = (
        "created_at",
        "object_type",
        "object_id",
        "field",
        "from_state",
        "to_state",
        "actor",
        "reason",
    )
    list_filter = (("content_type", admin.RelatedOnlyFieldListFilter), "field", "created_at")
    search_fields = ("=object_id", "from_state", "to_state", "reason")
    list_select_related = ("content_type", "actor")
    readonly_fields = (
        "created_at",
        "content_type",
        "object_id",
        "field",
        "from_state",
        "to_state",
        "reason",
        "actor",
    )
    fields = readonly_fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return transitions_visible_to(request.user, queryset)


@admin.register(Notification)
class NotificationAdmin(RecordAdmin):
    """Each user reads their own notifications here too; the services mark
    them read, so the admin only shows them."""

    list_display = ("created_at", "recipient", "verb", "message", "object_type", "read_at")
    list_filter = ("verb", ("read_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("message", "=object_id")
    list_select_related = ("content_type", "recipient")
    readonly_fields = (
        "created_at",
        "recipient",
        "verb",
        "message",
        "content_type",
        "object_id",
        "day",
        "read_at",
    )
    fields = readonly_fields


@admin.register(Job)
class JobAdmin(RecordAdmin):
    """Background jobs, read-only: the services in pingxiang_cf/jobs.py write them."""

    list_display = ("created_at", "title", "kind", "status", "done", "total", "created_by")
    list_filter = ("status", "kind", "created_at")
    search_fields = ("title", "key", "=code")
    list_select_related = ("created_by",)
    readonly_fields = (
        "code",
        "kind",
        "key",
        "title",
        "status",
        "total",
        "done",
        "message",
        "error",
        "file",
        "filename",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
        "expires_at",
    )
    fields = readonly_fields


@admin.register(ApiToken)
class ApiTokenAdmin(RecordAdmin):
    """Each user sees their own API tokens (never the key, only its prefix);
    they are created and revoked on the tokens page or through the API."""

    list_display = ("name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), "expires_at")
    search_fields = ("name", "prefix")
    readonly_fields = list_display
    fields = readonly_fields
