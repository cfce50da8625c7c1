"""API errors: Django's ValidationError from a service becomes a 400 with
the service's Chinese messages per field (`non_field_errors` for the rest);
PermissionDenied is a 403 and Http404 a 404 (DRF's own handling)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


def service_errors(exc: DjangoValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        key = api_settings.NON_FIELD_ERRORS_KEY
        return {
            (key if name == "__all__" else name): messages
            for name, messages in exc.message_dict.items()
        }
    return {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(service_errors(exc))
    return drf_exception_handler(exc, context)


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_code = "precondition_required"
