"""Imports through the API, on the same engine (pingxiang_cf.imports) and
with the same permissions as the `/imports/<kind>/` pages:

- `GET /api/v1/imports/{kind}/template/`: the XLSX template;
- `POST /api/v1/imports/{kind}/?dry_run=1` (multipart `file`, and `plan`
  for plan tasks): every row checked, nothing written — 200 with the
  report when clean, 400 with it (row, column, Chinese message) otherwise;
- `POST /api/v1/imports/{kind}/`: checked again and written in one
  transaction — 201 with the counts, or 400 with the report and nothing
  written.

The file is checked before anything parses it (size, XLSX by content, zip
bomb, encrypted parts, XML entities) and removed after the request,
whatever happens. Unknown kind → 404, not allowed to import it → 403."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from pingxiang_cf import imports
from pingxiang_cf.api.exporting import JSONOnlyNegotiation

TRUE = {"1", "true", "yes", "on"}


class ImportSchema(AutoSchema):
    """`kind` is one of the registered imports (read when the schema is built)."""

    def get_override_parameters(self):
        kind = OpenApiParameter(
            "kind",
            str,
            OpenApiParameter.PATH,
            enum=imports.names(),
            description=(
                "导入类型:plan-tasks 任务分工方案,projects 项目及量化目标,ledger-entries 项目台账"
            ),
        )
        return [kind, *super().get_override_parameters()]


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="按模板填写的 .xlsx 文件")
    plan = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text="导入到的实施方案编号(plan-tasks 必填)",
    )


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="表格行号(表头为第1行);0 表示请求本身(文件或参数)有误")
    column = serializers.CharField(help_text="列名(整行的问题为空);row 为 0 时是参数名(file、plan)")
    message = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    kind = serializers.CharField()
    dry_run = serializers.BooleanField(help_text="仅检查,未写入")
    ok = serializers.BooleanField()
    rows = serializers.IntegerField(help_text="数据行数")
    written = serializers.IntegerField(help_text="写入的记录数")
    errors = ImportErrorSerializer(many=True)


def report_data(kind: str, report: imports.Report, *, dry_run: bool) -> dict:
    return {
        "kind": kind,
        "dry_run": dry_run,
        "ok": report.ok,
        "rows": report.rows,
        "written": report.written if report.ok and not dry_run else 0,
        "errors": [
            {"row": e.row, "column": e.column, "message": e.message} for e in report.sorted_errors()
        ],
    }


def refused(kind: str, errors: dict, *, dry_run: bool) -> Response:
    """The request itself refused (no file, a bad one, a missing option):
    the same report shape, row 0 and the parameter's name as the column."""
    report = imports.Report()
    for name, messages in errors.items():
        for message in messages:
            report.add(0, name, str(message))
    return Response(report_data(kind, report, dry_run=dry_run), status=status.HTTP_400_BAD_REQUEST)


def _spec(user, kind: str) -> imports.ImportSpec:
    spec = imports.get_spec(kind)
    if spec is None:
        raise exceptions.NotFound(_("没有这种导入。"))
    if not spec.may_import(user):
        raise exceptions.PermissionDenied(_("您没有权限导入%(title)s。") % {"title": spec.title})
    return spec


class ImportTemplateView(APIView):
    schema = ImportSchema()
    content_negotiation_class = JSONOnlyNegotiation

    @extend_schema(
        summary="下载导入模板",
        responses={(200, imports.XLSX_CONTENT_TYPE): OpenApiTypes.BINARY},
    )
    def get(self, request, kind):
        spec = _spec(request.user, kind)
        response = HttpResponse(
            imports.template_bytes(spec), content_type=imports.XLSX_CONTENT_TYPE
        )
        response["Content-Disposition"] = content_disposition_header(
            True, f"{spec.title}-导入模板.xlsx"
        )
        return response


class ImportView(APIView):
    schema = ImportSchema()
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary="导入 Excel(全部写入或全部不写)",
        request={"multipart/form-data": ImportUploadSerializer},
        parameters=[
            OpenApiParameter(
                "dry_run",
                OpenApiTypes.BOOL,
                OpenApiParameter.QUERY,
                description="为真时只逐行检查并返回报告,不写入",
            )
        ],
        responses={
            200: OpenApiResponse(ImportReportSerializer, description="检查通过(dry_run)"),
            201: OpenApiResponse(ImportReportSerializer, description="已全部写入"),
            400: OpenApiResponse(
                ImportReportSerializer,
                description=(
                    "文件或参数被拒绝(row 为 0),或逐行检查有错误(行、列和原因);未写入任何数据"
                ),
            ),
        },
    )
    def post(self, request, kind):
        spec = _spec(request.user, kind)
        dry_run = request.query_params.get("dry_run", "").lower() in TRUE
        serializer = ImportUploadSerializer(data=request.data)
        if not serializer.is_valid():
            return refused(kind, serializer.errors, dry_run=dry_run)
        options = {}
        if spec.options_form is not None:
            form = spec.options_form(request.data)
            if not form.is_valid():
                return refused(kind, form.errors, dry_run=dry_run)
            options = form.cleaned_data
        try:
            upload = imports.Upload.save(serializer.validated_data["file"])
        except imports.UploadRejected as exc:
            return refused(kind, {"file": [str(exc)]}, dry_run=dry_run)
        with upload:
            try:
                if dry_run:
                    report = imports.preview(spec, upload.path, request.user, options)
                else:
                    report = imports.run_import(spec, upload.path, request.user, options)
            except imports.ImportFailed as failed:
                report = failed.report
            except imports.UploadRejected as exc:
                return refused(kind, {"file": [str(exc)]}, dry_run=dry_run)
        if not report.ok:
            code = status.HTTP_400_BAD_REQUEST
        else:
            code = status.HTTP_200_OK if dry_run else status.HTTP_201_CREATED
        return Response(report_data(kind, report, dry_run=dry_run), status=code)
