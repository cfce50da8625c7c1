"""API endpoints of inspections, findings and supervision letters:
declarations on the base viewsets of pingxiang_cf.api; every write and
every workflow step is one call of an inspections.services function."""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from inspections.api import serializers as s
from inspections.filters import FindingFilterSet, InspectionFilterSet, SupervisionLetterFilterSet
from inspections.models import Finding, Inspection, SupervisionLetter
from inspections.selectors import inspection_list
from inspections.services import findings as finding_services
from inspections.services import inspection_plans as inspection_services
from inspections.services import letters as letter_services
from pingxiang_cf.api.viewsets import IF_MATCH, CreateMixin, ScopedViewSet, UpdateMixin

PARSERS = (JSONParser, MultiPartParser, FormParser)
CONCURRENT_WRITES = {
    name: extend_schema(parameters=[IF_MATCH]) for name in ("update", "partial_update")
}


@extend_schema_view(**CONCURRENT_WRITES)
class InspectionViewSet(ScopedViewSet, CreateMixin, UpdateMixin):
    """督查 (routine, concentrated, special). Recorded by the commission."""

    queryset = Inspection.objects.all()
    serializer_class = s.InspectionSerializer
    write_serializer_class = s.InspectionWriteSerializer
    filterset_class = InspectionFilterSet
    concurrency = True
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        # The list's counts, which its ordering (`o=finding_count`) may name.
        return inspection_list(self.request.user)

    def may_create(self) -> bool:
        return inspection_services.can_manage(self.request.user)

    def may_change(self, obj) -> bool:
        return inspection_services.can_manage(self.request.user)

    def create_service(self, data, actor):
        return inspection_services.inspection_create(actor=actor, **data)

    def update_service(self, obj, data, actor):
        return inspection_services.inspection_update(obj, actor=actor, **data)


@extend_schema_view(**CONCURRENT_WRITES)
class FindingViewSet(ScopedViewSet, CreateMixin, UpdateMixin):
    """督查问题 and their rectification: open → rectifying → submitted →
    verified or returned. The unit's editors start and submit (with an
    evidence file); the commission records, verifies and returns."""

    queryset = Finding.objects.all()
    serializer_class = s.FindingSerializer
    write_serializer_class = s.FindingWriteSerializer
    filterset_class = FindingFilterSet
    parser_classes = PARSERS
    concurrency = True
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_write_serializer(self, *args, **kwargs):
        if args:
            kwargs.setdefault("context", self.get_serializer_context())
            return s.FindingUpdateSerializer(*args[1:], **kwargs)
        return super().get_write_serializer(*args, **kwargs)

    def may_create(self) -> bool:
        return finding_services.can_record(self.request.user)

    def may_change(self, obj) -> bool:
        return finding_services.can_record(self.request.user)

    def create_service(self, data, actor):
        return finding_services.finding_create(actor=actor, **data)

    def update_service(self, obj, data, actor):
        return finding_services.finding_update(obj, actor=actor, **data)

    @extend_schema(
        request=s.RectifyNoteSerializer, responses=s.FindingSerializer, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        """开始整改(责任单位)。"""
        return self.run_step(
            finding_services.finding_start, serializer_class=s.RectifyNoteSerializer
        )

    @extend_schema(
        request={"multipart/form-data": s.RectifySerializer},
        responses=s.FindingSerializer,
        parameters=[IF_MATCH],
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """提交整改报告和佐证材料(责任单位,multipart/form-data)。"""
        return self.run_step(self._submit, serializer_class=s.RectifySerializer)

    @staticmethod
    def _submit(finding, *, actor, description, file):
        finding_services.finding_submit(finding, actor=actor, description=description, file=file)
        return finding  # the service returns the rectification report; the API shows the finding

    @extend_schema(
        request=s.ReviewCommentSerializer, responses=s.FindingSerializer, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """核实销号(纪委惩防办)。"""
        return self.run_step(
            finding_services.finding_verify, serializer_class=s.ReviewCommentSerializer
        )

    @extend_schema(
        request=s.ReviewCommentSerializer, responses=s.FindingSerializer, parameters=[IF_MATCH]
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        """退回整改(纪委惩防办,须填写意见)。"""
        return self.run_step(
            finding_services.finding_return, serializer_class=s.ReviewCommentSerializer
        )


class SupervisionLetterViewSet(ScopedViewSet, CreateMixin):
    """督办函. Issued (numbered) by the commission; answered in writing by
    the unit with an evidence file; accepted or returned by the commission."""

    queryset = SupervisionLetter.objects.all()
    serializer_class = s.SupervisionLetterSerializer
    write_serializer_class = s.LetterIssueSerializer
    filterset_class = SupervisionLetterFilterSet
    parser_classes = PARSERS
    lookup_field = "code"
    concurrency = True
    http_method_names = ["get", "post", "head", "options"]

    def may_create(self) -> bool:
        return letter_services.can_issue(self.request.user)

    def create_service(self, data, actor):
        return letter_services.letter_issue(actor=actor, **data)

    @extend_schema(
        request={"multipart/form-data": s.LetterReplySerializer},
        responses=s.SupervisionLetterSerializer,
        parameters=[IF_MATCH],
    )
    @action(detail=True, methods=["post"])
    def reply(self, request, code=None):
        """书面回复(被督办单位,multipart/form-data,附佐证材料)。"""
        return self.run_step(self._reply, serializer_class=s.LetterReplySerializer)

    @staticmethod
    def _reply(letter, *, actor, content, file):
        letter_services.letter_reply(letter, actor=actor, content=content, file=file)
        return letter

    @extend_schema(
        request=s.ReviewCommentSerializer,
        responses=s.SupervisionLetterSerializer,
        parameters=[IF_MATCH],
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, code=None):
        """审核通过,办结(纪委惩防办)。"""
        return self.run_step(
            letter_services.letter_accept, serializer_class=s.ReviewCommentSerializer
        )

    @extend_schema(
        request=s.LetterReturnSerializer,
        responses=s.SupervisionLetterSerializer,
        parameters=[IF_MATCH],
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, code=None):
        """退回回复(纪委惩防办,须填写意见,可给新的回复时限)。"""
        return self.run_step(
            letter_services.letter_return, serializer_class=s.LetterReturnSerializer
        )
