"""The tokens page: a signed-in user lists, creates and revokes their own API
tokens. A new key is shown once, in the response to the create form (never
stored, never redirected through the session); revoking asks first."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from pingxiang_cf import exports, imports, tokens
from pingxiang_cf.models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"] = forms.IntegerField(
            label=gettext_lazy("有效天数"),
            min_value=1,
            max_value=tokens.max_days(),
            initial=tokens.default_days(),
        )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    new_key = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, new_key = tokens.token_create(
                actor=request.user,
                user=request.user,
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            form = TokenForm()
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": ApiToken.objects.restrict(request.user).order_by("revoked_at", "-created_at"),
            "now": timezone.now(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request, pk):
    token = ApiToken.objects.restrict(request.user).filter(pk=pk).first()
    if token is None:
        raise Http404
    if request.method == "POST":
        tokens.token_revoke(token, actor=request.user)
        messages.success(request, _("令牌“%(name)s”已撤销。") % {"name": token.name})
        return redirect("tokens:list")
    return render(request, "api/token_revoke.html", {"token": token})


# --- Exports from the pages ----------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def export_download(request, name):
    """`/exports/<name>/?format=csv|xlsx&<the list's filters>`: what the list
    shows, as a file at once, or as a background job when it is large."""
    spec = exports.get_spec(name)
    if spec is None:
        raise Http404
    fmt = request.GET.get("format", "")
    if fmt not in exports.FORMATS:
        return HttpResponseBadRequest(_("请选择导出格式:csv 或 xlsx。"))
    try:
        queryset = spec.queryset(request.user, request.GET)
    except ValidationError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages))
    params = exports.clean_params(request.GET)
    if exports.is_large(queryset):
        job = exports.start_job(spec=spec, fmt=fmt, user=request.user, params=params)
        exports.audit_export(actor=request.user, spec=spec, fmt=fmt, params=params, mode="job")
        return redirect("jobs:detail", job.code)
    exports.audit_export(actor=request.user, spec=spec, fmt=fmt, params=params, mode="stream")
    return exports.stream_response(spec, queryset, fmt)


# --- Imports -----------------------------------------------------------------------------------


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel 文件(.xlsx)"))


def _import_spec(request, name):
    spec = imports.get_spec(name)
    if spec is None:
        raise Http404
    if not spec.may_import(request.user):
        raise PermissionDenied(_("您没有权限导入%(title)s。") % {"title": spec.title})
    return spec


def _options(spec, data):
    form = spec.options_form(data or None) if spec.options_form else None
    return form


@login_required
@require_http_methods(["GET"])
def import_template(request, name):
    spec = _import_spec(request, name)
    response = HttpResponse(imports.template_bytes(spec), content_type=imports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{spec.title}-导入模板.xlsx"
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, name):
    """Upload → preview with every row checked (nothing written). The file is
    kept (privately, under a random token) only when the preview is clean,
    for the confirmation; otherwise it is removed at once."""
    spec = _import_spec(request, name)
    form = UploadForm(request.POST or None, request.FILES or None)
    options = _options(spec, request.POST)
    context = {"spec": spec, "form": form, "options": options}
    if request.method == "POST" and form.is_valid() and (options is None or options.is_valid()):
        try:
            upload = imports.Upload.save(form.cleaned_data["file"])
        except imports.UploadRejected as exc:
            form.add_error("file", str(exc))
        else:
            try:
                report = imports.preview(
                    spec, upload.path, request.user, options.cleaned_data if options else {}
                )
            except imports.UploadRejected as exc:
                upload.discard()
                form.add_error("file", str(exc))
            else:
                if not report.ok:
                    upload.discard()
                context.update(report=report, token=upload.token if report.ok else "")
    return render(request, "api/import.html", context)


@login_required
@require_http_methods(["POST"])
def import_confirm(request, name):
    """Import the previewed file all or nothing; the file is removed after."""
    spec = _import_spec(request, name)
    options = _options(spec, request.POST)
    context = {"spec": spec, "form": UploadForm(), "options": _options(spec, None)}
    try:
        upload = imports.Upload(request.POST.get("token", ""))
        if not upload.exists():
            raise imports.UploadRejected(_("上传的文件已失效,请重新上传。"))
    except imports.UploadRejected as exc:
        context["form"].add_error(None, str(exc))
        return render(request, "api/import.html", context)
    with upload:
        if options is not None and not options.is_valid():
            context["form"].add_error(None, _("请重新选择导入选项。"))
            return render(request, "api/import.html", context)
        try:
            report = imports.run_import(
                spec, upload.path, request.user, options.cleaned_data if options else {}
            )
        except imports.ImportFailed as failed:
            context.update(report=failed.report, failed=True)
        except imports.UploadRejected as exc:
            context["form"].add_error(None, str(exc))
        else:
            context.update(report=report, done=True)
    return render(request, "api/import.html", context)
