from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("统计看板")

    def ready(self):
        from dashboards import signals  # noqa: F401 - connects the receivers
