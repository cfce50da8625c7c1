from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PingxiangCfConfig(AppConfig):
    name = "pingxiang_cf"
    verbose_name = _("系统审计")
