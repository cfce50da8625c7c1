"""The base viewsets: an endpoint is a declaration.

    class AssignmentViewSet(ScopedViewSet, CreateMixin, UpdateMixin):
        queryset = Assignment.objects.all()
        serializer_class = AssignmentSerializer          # read (and schema)
        write_serializer_class = AssignmentWriteSerializer
        filterset_class = AssignmentFilterSet
        select_related = ("project", "assignee_unit")    # what the read serializer follows

        def create_service(self, data, actor):           # one service call
            return services.assignment_create(actor=actor, **data)

What the base does, for every endpoint alike:
- reads go through `restrict(request.user, "view")` and the FilterSet (`q`,
  filters, `o` ordering), then the pagination class; rows are built from
  `.values()` by pingxiang_cf.api.rows (no model instance per row), so a
  list runs a fixed number of queries whatever the page size;
- an object outside the user's scope is 404 (it is not in the queryset);
- a write by a user who may not make it is 403 (`may_create`, `may_change`,
  and the service's own PermissionDenied), bad input 400 with the service's
  Chinese messages, and the response is the object as read back;
- `concurrency = True`: responses carry an ETag; PUT/PATCH/DELETE and
  workflow actions must send `If-Match` with it: a missing one is 428, a stale
  one 412 (checked on the locked row inside the write's transaction);
- workflow steps are `@action`s that call `self.run_step(service, ...)`.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from pingxiang_cf.api.exceptions import PreconditionFailed, PreconditionRequired
from pingxiang_cf.api.pagination import KeysetPagination, PagePagination
from pingxiang_cf.api.rows import RowPlan
from pingxiang_cf.roles import EDITOR_ROLES
from pingxiang_cf.scope import CHANGE, VIEW, can, get_user_scope

IF_MATCH = OpenApiParameter(
    "If-Match",
    str,
    OpenApiParameter.HEADER,
    required=True,
    description="读取时返回的 ETag;记录已被他人修改时返回 412",
)


def etag_for(obj) -> str:
    stamp = getattr(obj, "updated_at", None)
    micro = int(stamp.timestamp() * 1_000_000) if stamp else 0
    return f'"{obj.pk}-{micro}"'


class ScopedViewSet(GenericViewSet):
    """List and retrieve, scoped, filtered, ordered, paginated."""

    write_serializer_class = None
    pagination_class = PagePagination
    select_related: tuple[str, ...] = ()
    concurrency = False
    _plans: dict = {}

    # --- reads ---------------------------------------------------------------------

    def get_queryset(self):
        queryset = self.queryset.all().restrict(self.request.user, VIEW)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        return queryset

    @classmethod
    def row_plan(cls) -> RowPlan:
        key = (cls, cls.serializer_class)
        if key not in ScopedViewSet._plans:
            ScopedViewSet._plans[key] = RowPlan(cls.serializer_class, cls.queryset.model)
        return ScopedViewSet._plans[key]

    def rows(self, queryset, extra=()) -> list[dict]:
        plan = self.row_plan()
        return plan.rows(plan.values(queryset, extra))

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        plan = self.row_plan()
        paginator = self.paginator
        extra = paginator.sort_paths(queryset) if isinstance(paginator, KeysetPagination) else ()
        values = plan.values(queryset, extra)
        page = paginator.paginate_queryset(values, request, view=self)
        return paginator.get_paginated_response(plan.rows(page))

    def get_object(self):
        """The object by its lookup in the user's scope (404 otherwise); list
        filters do not apply to a detail URL."""
        lookup = self.lookup_url_kwarg or self.lookup_field
        obj = self.get_queryset().filter(**{self.lookup_field: self.kwargs[lookup]}).first()
        if obj is None:
            raise exceptions.NotFound()
        return obj

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        return self.object_response(obj)

    def object_response(self, obj, status_code=status.HTTP_200_OK) -> Response:
        """The object as the list shows it, read back through the user's scope."""
        rows = self.rows(self.get_queryset().filter(pk=obj.pk))
        if not rows:  # the write moved it out of reach: the services refuse that
            raise exceptions.NotFound()
        headers = (
            {"ETag": etag_for(type(obj)._base_manager.get(pk=obj.pk))} if self.concurrency else {}
        )
        return Response(rows[0], status=status_code, headers=headers)

    # --- who may write -----------------------------------------------------------------

    def may_create(self) -> bool:
        """Whether the user may create anything here (403 before validation)."""
        scope = get_user_scope(self.request.user)
        model = self.queryset.model
        if scope.edits_all:
            return True
        return bool(getattr(model, "scope_edit_paths", ())) and bool(scope.roles & EDITOR_ROLES)

    def may_change(self, obj) -> bool:
        return can(self.request.user, obj, CHANGE)

    def check_may_change(self, obj) -> None:
        if not self.may_change(obj):
            raise exceptions.PermissionDenied(_("您没有权限修改该记录。"))

    # --- optimistic concurrency ------------------------------------------------------------

    def locked(self, obj):
        """Lock the row (inside the caller's transaction) and check If-Match."""
        obj = type(obj)._base_manager.select_for_update().get(pk=obj.pk)
        if self.concurrency:
            wanted = self.request.headers.get("If-Match")
            if not wanted:
                raise PreconditionRequired(_("请在 If-Match 请求头中提供读取时的 ETag。"))
            tags = {t.strip() for t in wanted.split(",")}
            if "*" not in tags and etag_for(obj) not in tags:
                raise PreconditionFailed(_("该记录已被他人修改,请重新读取后再提交。"))
        return obj

    def get_write_serializer(self, *args, **kwargs):
        kwargs.setdefault("context", self.get_serializer_context())
        return self.write_serializer_class(*args, **kwargs)

    def run_step(self, service, *, serializer_class=None, **kwargs) -> Response:
        """A workflow step on one object: 404 out of scope, 403 not allowed,
        If-Match when the endpoint is concurrent, input validated by
        `serializer_class`, one service call, the object read back."""
        obj = self.get_object()
        self.check_may_step(obj)
        data = {}
        if serializer_class is not None:
            serializer = serializer_class(
                data=self.request.data, context=self.get_serializer_context()
            )
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
        with transaction.atomic():
            obj = self.locked(obj)
            result = service(obj, actor=self.request.user, **data, **kwargs)
        return self.object_response(result if result is not None else obj)

    def check_may_step(self, obj) -> None:
        """Steps are checked by their service (PermissionDenied → 403)."""


class CreateMixin:
    def create_service(self, data: dict, actor):
        raise NotImplementedError

    def create(self, request, *args, **kwargs):
        if not self.may_create():
            raise exceptions.PermissionDenied(_("您没有权限新增该记录。"))
        serializer = self.get_write_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            obj = self.create_service(dict(serializer.validated_data), request.user)
        return self.object_response(obj, status.HTTP_201_CREATED)


class UpdateMixin:
    def update_service(self, obj, data: dict, actor):
        raise NotImplementedError

    def _update(self, request, partial: bool):
        obj = self.get_object()
        self.check_may_change(obj)
        serializer = self.get_write_serializer(obj, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            obj = self.locked(obj)
            obj = self.update_service(obj, dict(serializer.validated_data), request.user)
        return self.object_response(obj)

    def update(self, request, *args, **kwargs):
        return self._update(request, partial=False)

    def partial_update(self, request, *args, **kwargs):
        return self._update(request, partial=True)


class DestroyMixin:
    def delete_service(self, obj, actor) -> None:
        raise NotImplementedError

    @extend_schema(responses={204: OpenApiResponse(description="已删除")})
    def destroy(self, request, *args, **kwargs):
        obj = self.get_object()
        self.check_may_change(obj)
        with transaction.atomic():
            obj = self.locked(obj)
            self.delete_service(obj, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
