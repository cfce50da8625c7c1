"""Background jobs for API clients (token or session):

- `GET /api/v1/jobs/`: the caller's jobs, newest first (`?state=` to pick);
- `GET /api/v1/jobs/{code}/`: kind, state, progress (done/total, percent),
  error, times, and the `download` URL once the file is ready;
- `GET /api/v1/jobs/{code}/download/`: the job's file.

A job is seen by whoever started it (and the commission), as on the
`/jobs/<code>/` page (`Job.objects.restrict`); anyone else's job is 404.
A large API export answers 202 with the first URL (`Location` and body).
The download answers 409 while the job runs or when it failed, and 410
once the file is past its retention time (JOB_FILE_RETENTION_HOURS) or has
been purged."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import exceptions, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.viewsets import GenericViewSet

from pingxiang_cf import exports
from pingxiang_cf.api.exporting import JSONOnlyNegotiation
from pingxiang_cf.models import Job, JobStatus

DETAIL = inline_serializer("JobFileError", {"detail": serializers.CharField()})


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class Gone(exceptions.APIException):
    status_code = status.HTTP_410_GONE
    default_code = "gone"


def file_ready(job: Job, now=None) -> bool:
    """Done, with a file that is still within its retention time."""
    now = now or timezone.now()
    return (
        job.status == JobStatus.DONE
        and bool(job.file)
        and (job.expires_at is None or job.expires_at > now)
    )


class JobProgressSerializer(serializers.Serializer):
    code = serializers.UUIDField(read_only=True)
    kind = serializers.CharField(read_only=True, help_text="任务类型,如 export")
    title = serializers.CharField(read_only=True)
    state = serializers.ChoiceField(source="status", choices=JobStatus.choices, read_only=True)
    done = serializers.IntegerField(read_only=True)
    total = serializers.IntegerField(read_only=True, help_text="总量;0 表示尚未确定")
    percent = serializers.IntegerField(read_only=True, min_value=0, max_value=100)
    message = serializers.CharField(read_only=True)
    error = serializers.CharField(read_only=True, help_text="失败原因(失败时)")
    created_at = serializers.DateTimeField(read_only=True)
    started_at = serializers.DateTimeField(read_only=True, allow_null=True)
    finished_at = serializers.DateTimeField(read_only=True, allow_null=True)
    expires_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="结果文件保留至"
    )
    download = serializers.SerializerMethodField(help_text="结果文件的下载地址(可下载时)")

    @extend_schema_field(OpenApiTypes.URI)
    def get_download(self, job) -> str | None:
        if not file_ready(job):
            return None
        request = self.context["request"]
        return request.build_absolute_uri(reverse("api-job-download", args=[job.code]))


class JobViewSet(GenericViewSet):
    """后台任务(大批量导出等):进度与结果文件。"""

    queryset = Job.objects.all()
    serializer_class = JobProgressSerializer
    filterset_class = None
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return Job.objects.restrict(self.request.user)

    @extend_schema(
        summary="我的后台任务",
        parameters=[
            OpenApiParameter(
                "state", OpenApiTypes.STR, enum=JobStatus.values, description="只列出该状态的任务"
            )
        ],
    )
    def list(self, request, *args, **kwargs):
        """The caller's own jobs, newest first: the commission may read anyone's
        job by its code, but its list is its own, like the jobs page's."""
        jobs = self.get_queryset().filter(created_by=request.user).order_by("-created_at", "-pk")
        state = request.query_params.get("state")
        if state:
            if state not in JobStatus.values:
                raise exceptions.ValidationError({"state": [_("没有这种任务状态。")]})
            jobs = jobs.filter(status=state)
        page = self.paginate_queryset(jobs)
        context = self.get_serializer_context()
        return self.get_paginated_response(
            JobProgressSerializer(page, many=True, context=context).data
        )

    def get_object(self) -> Job:
        try:
            job = self.get_queryset().filter(code=self.kwargs["code"]).first()
        except (ValueError, DjangoValidationError) as exc:  # a malformed UUID
            raise exceptions.NotFound() from exc
        if job is None:
            raise exceptions.NotFound()
        return job

    @extend_schema(summary="任务进度")
    def retrieve(self, request, *args, **kwargs):
        job = self.get_object()
        return Response(JobProgressSerializer(job, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="下载任务的结果文件",
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, exports.CONTENT_TYPES[exports.XLSX]): OpenApiTypes.BINARY,
            (200, "application/octet-stream"): OpenApiTypes.BINARY,
            409: OpenApiResponse(DETAIL, description="任务尚未完成或已失败"),
            410: OpenApiResponse(DETAIL, description="文件已超过保留期限并被删除"),
        },
    )
    @action(detail=True, methods=["get"], content_negotiation_class=JSONOnlyNegotiation)
    def download(self, request, code=None):
        from django.http import FileResponse

        job = self.get_object()
        if job.status == JobStatus.FAILED:
            raise Conflict(_("任务失败,没有可下载的文件。"))
        if job.status != JobStatus.DONE:
            raise Conflict(_("任务尚未完成,请稍后再下载。"))
        if not file_ready(job):
            if job.expires_at is None:
                raise exceptions.NotFound(_("该任务没有结果文件。"))
            raise Gone(_("文件已超过保留期限并已删除,请重新导出。"))
        try:
            handle = job.file.open("rb")
        except (FileNotFoundError, ValueError) as exc:
            raise Gone(_("文件已超过保留期限并已删除,请重新导出。")) from exc
        return FileResponse(handle, as_attachment=True, filename=job.filename or job.file.name)
