"""API of the supervision cycles and notices: declarations on the base
viewsets of pingxiang_cf.api; every write is one service call.

    GET  /api/v1/cycles/                    ?kind=monthly&year=2011&q=2011-0
    GET  /api/v1/cycles/<id>/               (with the frozen snapshot)
    POST /api/v1/cycles/run/                {"kind": "monthly", "period": "2012-03"} → 202 + job
    GET  /api/v1/notices/                   ?kind=&status=&year=&q=
    GET  /api/v1/notices/<code>/
    GET  /api/v1/notices/<code>/pdf/
    POST /api/v1/notices/<code>/review|return|publish|reopen/"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from inspections import tasks
from inspections.choices import CycleKind
from inspections.cycles import parse_period
from inspections.filters import CycleFilterSet, NoticeFilterSet
from inspections.models import Notice, SupervisionCycle
from inspections.services import notices as notice_services
from inspections.services.cycles import can_run_cycles
from pingxiang_cf.api.viewsets import ScopedViewSet
from pingxiang_cf.pdf import pdf_response

# --- Serializers ----------------------------------------------------------------------------


class CycleSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupervisionCycle
        fields = ("id", "kind", "period", "period_start", "period_end", "status", "last_run_at")
        read_only_fields = fields


class CycleDetailSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupervisionCycle
        fields = (*CycleSerializer.Meta.fields, "snapshot")
        read_only_fields = fields


class CycleRunSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(label=gettext_lazy("周期类型"), choices=CycleKind.choices)
    period = serializers.CharField(label=gettext_lazy("期间"), max_length=16)

    def validate(self, attrs):
        try:
            attrs["parsed"] = parse_period(attrs["kind"], attrs["period"])
        except DjangoValidationError as error:
            raise serializers.ValidationError({"period": error.messages}) from error
        return attrs


class JobSerializer(serializers.Serializer):
    code = serializers.UUIDField(read_only=True)
    status = serializers.CharField(read_only=True)
    url = serializers.URLField(read_only=True, help_text="任务的API地址(进度),同 Location 头")
    page = serializers.URLField(read_only=True, help_text="任务的网页(浏览器查看进度)")


class NoticeSerializer(serializers.ModelSerializer):
    cycle = serializers.IntegerField(source="cycle_id", read_only=True, allow_null=True)

    class Meta:
        model = Notice
        fields = (
            "id",
            "code",
            "number",
            "title",
            "kind",
            "status",
            "cycle",
            "issuing_office",
            "issued_on",
            "body",
        )
        read_only_fields = fields


class NoticeReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class PublishSerializer(serializers.Serializer):
    issued_on = serializers.DateField(required=False)


# --- Viewsets -----------------------------------------------------------------------------------


class CycleViewSet(ScopedViewSet):
    """督查周期 (one per kind and period) with their frozen figures; the
    commission runs one with `run` (a background job)."""

    queryset = SupervisionCycle.objects.all()
    serializer_class = CycleSerializer
    filterset_class = CycleFilterSet

    def retrieve(self, request, *args, **kwargs):
        return Response(CycleDetailSerializer(self.get_object()).data)

    @extend_schema(
        request=CycleRunSerializer, responses={202: OpenApiResponse(JobSerializer, "已提交")}
    )
    @action(detail=False, methods=["post"])
    def run(self, request):
        """立即运行一个督查周期(后台任务,返回任务编码、任务的API地址与进度页面)。"""
        if not can_run_cycles(request.user):
            raise exceptions.PermissionDenied(_("只有纪委惩防办可以运行督查周期。"))
        serializer = CycleRunSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            job, _created = tasks.cycle_job_start(
                period=serializer.validated_data["parsed"], user=request.user
            )
        url = request.build_absolute_uri(reverse("api-job-detail", args=[job.code]))
        return Response(
            {
                "code": str(job.code),
                "status": job.status,
                "url": url,
                "page": request.build_absolute_uri(reverse("jobs:detail", args=[job.code])),
            },
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": url},
        )


class NoticeViewSet(ScopedViewSet):
    """通报: published ones for every signed-in user, drafts for the
    commission only; the workflow steps are the commission's."""

    queryset = Notice.objects.all()
    serializer_class = NoticeSerializer
    filterset_class = NoticeFilterSet
    lookup_field = "code"

    def _step(self, service, serializer_class=None):
        try:
            return self.run_step(service, serializer_class=serializer_class)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"detail": error.messages}) from error

    @extend_schema(request=None, responses=NoticeSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, code=None):
        """审核通过(草稿 → 已审核)。"""
        return self._step(notice_services.notice_review)

    @extend_schema(request=NoticeReasonSerializer, responses=NoticeSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, code=None):
        """退回草稿(须填写理由)。"""
        return self._step(notice_services.notice_return, NoticeReasonSerializer)

    @extend_schema(request=PublishSerializer, responses=NoticeSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, code=None):
        """发布(已审核 → 已发布):编号、定稿,此后冻结。"""
        return self._step(notice_services.notice_publish, PublishSerializer)

    @extend_schema(request=NoticeReasonSerializer, responses=NoticeSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, code=None):
        """撤回发布(须说明理由),保留文号。"""
        return self._step(notice_services.notice_reopen, NoticeReasonSerializer)

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(description="PDF")})
    @action(detail=True, methods=["get"])
    def pdf(self, request, code=None):
        """通报PDF。"""
        notice = self.get_object()
        if notice.pdf:
            try:
                with notice.pdf.open("rb") as handle:
                    return pdf_response(handle.read(), f"{notice.title}.pdf")
            except FileNotFoundError:
                pass
        return pdf_response(notice_services.render_notice_pdf(notice), f"{notice.title}.pdf")
