from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("督查督办")

    def ready(self):
        # The cycle handlers of this app register themselves on import.
        from inspections.services import letters, notices, reports  # noqa: F401
