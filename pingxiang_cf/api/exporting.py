"""`GET /api/v1/<resource>/export/?format=csv|xlsx&<the list's filters>` on
any viewset that mixes in `ExportMixin` and names its `export_name`
(a spec registered in the app's exports.py). Large exports answer 202 with
the background job's API URL (`/api/v1/jobs/{code}/`, also in `Location`),
which a token client polls for progress and the download link; errors are
JSON like the rest of the API."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.response import Response

from pingxiang_cf import exports
from pingxiang_cf.api.exceptions import service_errors

FORMAT_PARAM = OpenApiParameter(
    "format",
    str,
    OpenApiParameter.QUERY,
    required=True,
    enum=list(exports.FORMATS),
    description="导出格式;其余查询参数与列表相同(筛选、q、o)",
)
JOB_ACCEPTED = inline_serializer(
    "ExportJobAccepted",
    {
        "job": serializers.UUIDField(),
        "url": serializers.URLField(help_text="任务的API地址(进度与下载链接),同 Location 头"),
        "page": serializers.URLField(help_text="任务的网页(浏览器查看进度)"),
    },
)


class JSONOnlyNegotiation(DefaultContentNegotiation):
    """`format` names the file here, not a renderer: errors stay JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ExportMixin:
    export_name: str = ""

    @extend_schema(
        parameters=[FORMAT_PARAM],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, exports.CONTENT_TYPES[exports.XLSX]): OpenApiTypes.BINARY,
            202: JOB_ACCEPTED,
        },
        summary="导出(与列表相同的筛选条件)",
    )
    @action(detail=False, methods=["get"], content_negotiation_class=JSONOnlyNegotiation)
    def export(self, request, *args, **kwargs):
        spec = exports.get_spec(self.export_name)
        fmt = request.query_params.get("format", "")
        if fmt not in exports.FORMATS:
            raise exceptions.ValidationError({"format": [_("请选择导出格式:csv 或 xlsx。")]})
        try:
            queryset = spec.queryset(request.user, request.query_params)
        except ValidationError as exc:
            raise exceptions.ValidationError(service_errors(exc)) from exc
        params = exports.clean_params(request.query_params)
        if exports.is_large(queryset):
            job = exports.start_job(spec=spec, fmt=fmt, user=request.user, params=params)
            exports.audit_export(actor=request.user, spec=spec, fmt=fmt, params=params, mode="job")
            url = request.build_absolute_uri(reverse("api-job-detail", args=[job.code]))
            page = request.build_absolute_uri(reverse("jobs:detail", args=[job.code]))
            return Response(
                {"job": str(job.code), "url": url, "page": page},
                status=status.HTTP_202_ACCEPTED,
                headers={"Location": url},
            )
        exports.audit_export(actor=request.user, spec=spec, fmt=fmt, params=params, mode="stream")
        return exports.stream_response(spec, queryset, fmt)
