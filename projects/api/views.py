"""API endpoints of the projects app: declarations on the base viewsets of
pingxiang_cf.api; every write is one call of a projects.services function."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action

from pingxiang_cf.api.exporting import ExportMixin
from pingxiang_cf.api.pagination import KeysetPagination
from pingxiang_cf.api.viewsets import (
    IF_MATCH,
    CreateMixin,
    DestroyMixin,
    ScopedViewSet,
    UpdateMixin,
)
from pingxiang_cf.roles import EDITOR_ROLES
from pingxiang_cf.scope import get_user_scope
from projects import services
from projects.api import serializers as s
from projects.filters import (
    AssignmentFilterSet,
    LedgerEntryFilterSet,
    MilestoneFilterSet,
    PlanTaskFilterSet,
    ProjectFilterSet,
    TargetFilterSet,
)
from projects.models import Assignment, LedgerEntry, Milestone, PlanTask, Project, Target

UPDATES = {name: extend_schema(parameters=[IF_MATCH]) for name in ("update", "partial_update")}


def _rows(data, name: str) -> list[dict] | None:
    """A nested list (targets, milestones) as dicts; None when not sent
    (the service then leaves the project's rows alone)."""
    rows = data.pop(name, None)
    return None if rows is None else [dict(row) for row in rows]


class PlanTaskViewSet(ScopedViewSet, ExportMixin):
    """方案任务 (tasks of the task division plan), read only."""

    queryset = PlanTask.objects.all()
    export_name = "plan-tasks"
    serializer_class = s.PlanTaskSerializer
    filterset_class = PlanTaskFilterSet


@extend_schema_view(**UPDATES)
class ProjectViewSet(ScopedViewSet, ExportMixin, CreateMixin, UpdateMixin):
    """年度重点工作项目. Established, changed and advanced by the commission."""

    queryset = Project.objects.all()
    export_name = "projects"
    serializer_class = s.ProjectSerializer
    write_serializer_class = s.ProjectWriteSerializer
    filterset_class = ProjectFilterSet
    pagination_class = KeysetPagination
    lookup_field = "code"
    concurrency = True
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def may_create(self) -> bool:
        return services.can_manage_projects(self.request.user)

    def may_change(self, obj) -> bool:
        return services.can_manage_projects(self.request.user)

    def create_service(self, data, actor):
        return services.project_create(
            actor=actor,
            targets=_rows(data, "targets") or (),
            milestones=_rows(data, "milestones") or (),
            **data,
        )

    def update_service(self, obj, data, actor):
        return services.project_update(
            obj,
            actor=actor,
            targets=_rows(data, "targets"),
            milestones=_rows(data, "milestones"),
            **data,
        )

    @extend_schema(
        request=s.ProjectAdvanceSerializer, responses=s.ProjectSerializer, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def advance(self, request, code=None):
        """推进项目阶段:立项 → 实施 → 评估 → 推广。"""
        return self.run_step(services.project_advance, serializer_class=s.ProjectAdvanceSerializer)


class TargetViewSet(ScopedViewSet):
    """量化目标 of the projects in scope, read only: they are written with
    their project (`targets` of `PUT`/`PATCH /projects/{code}/`)."""

    queryset = Target.objects.all()
    serializer_class = s.TargetSerializer
    filterset_class = TargetFilterSet


class MilestoneViewSet(ScopedViewSet):
    """节点 of the projects in scope, read only: they are written with their
    project (`milestones` of `PUT`/`PATCH /projects/{code}/`)."""

    queryset = Milestone.objects.all()
    serializer_class = s.MilestoneSerializer
    filterset_class = MilestoneFilterSet


@extend_schema_view(**UPDATES)
class AssignmentViewSet(ScopedViewSet, ExportMixin, CreateMixin, UpdateMixin):
    """任务分解 (inner / outer / downward splits), by the lead unit."""

    queryset = Assignment.objects.all()
    export_name = "assignments"
    serializer_class = s.AssignmentSerializer
    write_serializer_class = s.AssignmentWriteSerializer
    filterset_class = AssignmentFilterSet
    concurrency = True
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_write_serializer(self, *args, **kwargs):
        if args:  # an update: the project does not change
            kwargs.setdefault("context", self.get_serializer_context())
            return s.AssignmentUpdateSerializer(*args, **kwargs)
        return super().get_write_serializer(*args, **kwargs)

    def may_change(self, obj) -> bool:
        return services.can_split(self.request.user, obj.project)

    @staticmethod
    def _shares(data):
        rows = data.pop("shares", None)
        return None if rows is None else {row["target"]: row["percent"] for row in rows}

    def create_service(self, data, actor):
        shares = self._shares(data)
        return services.assignment_create(actor=actor, shares=shares, **data)

    def update_service(self, obj, data, actor):
        return services.assignment_update(obj, actor=actor, shares=self._shares(data), **data)

    @extend_schema(
        request=s.ReasonSerializer, responses=s.AssignmentSerializer, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """撤销任务分解(须填写原因)。"""
        return self.run_step(services.assignment_cancel, serializer_class=s.ReasonSerializer)

    @extend_schema(
        request=s.ReasonSerializer, responses=s.AssignmentSerializer, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """办结任务分解。"""
        return self.run_step(services.assignment_complete, serializer_class=s.ReasonSerializer)


@extend_schema_view(**UPDATES, destroy=extend_schema(parameters=[IF_MATCH]))
class LedgerEntryViewSet(ScopedViewSet, ExportMixin, CreateMixin, UpdateMixin, DestroyMixin):
    """项目台账. Written by the owning unit's editors, verified or returned
    by the commission. Updates need If-Match (stale → 412)."""

    queryset = LedgerEntry.objects.all()
    export_name = "ledger-entries"
    serializer_class = s.LedgerEntrySerializer
    write_serializer_class = s.LedgerEntryWriteSerializer
    filterset_class = LedgerEntryFilterSet
    pagination_class = KeysetPagination
    lookup_field = "code"
    concurrency = True

    def get_write_serializer(self, *args, **kwargs):
        if args:
            kwargs.setdefault("context", self.get_serializer_context())
            return s.LedgerEntryUpdateSerializer(*args, **kwargs)
        return super().get_write_serializer(*args, **kwargs)

    def may_create(self) -> bool:
        scope = get_user_scope(self.request.user)
        return scope.is_superuser or bool(scope.roles & EDITOR_ROLES)

    def may_change(self, obj) -> bool:
        return services.can_write_ledger(self.request.user, obj)

    @staticmethod
    def _quantities(data):
        rows = data.pop("quantities", None)
        return None if rows is None else {row["target"]: row["quantity"] for row in rows}

    def create_service(self, data, actor):
        quantities = self._quantities(data)
        return services.ledger_entry_create(actor=actor, quantities=quantities, **data)

    def update_service(self, obj, data, actor):
        quantities = self._quantities(data)
        return services.ledger_entry_update(obj, actor=actor, quantities=quantities, **data)

    def delete_service(self, obj, actor):
        services.ledger_entry_delete(obj, actor=actor)

    @extend_schema(request=None, responses=s.LedgerEntrySerializer, parameters=[IF_MATCH])
    @action(detail=True, methods=["post"])
    def submit(self, request, code=None):
        """提交核实。"""
        return self.run_step(services.ledger_entry_submit)

    @extend_schema(
        request=s.CommentSerializer, responses=s.LedgerEntrySerializer, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def verify(self, request, code=None):
        """核实(纪委惩防办)。"""
        return self.run_step(services.ledger_entry_verify, serializer_class=s.CommentSerializer)

    @extend_schema(
        request=s.CommentSerializer, responses=s.LedgerEntrySerializer, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, code=None):
        """退回(纪委惩防办,须填写意见)。"""
        return self.run_step(services.ledger_entry_return, serializer_class=s.CommentSerializer)
