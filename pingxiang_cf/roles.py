"""The roles of DESIGN.md section 5. A role is held in a unit (Membership);
its reach is that unit and every unit below it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COMMISSION = "commission", _("纪委惩防办")
    LEAD_UNIT = "lead_unit", _("牵头单位编辑")
    CO_UNIT = "co_unit", _("协办单位编辑")
    LEADER = "leader", _("领导(只读)")
    AUDITOR = "auditor", _("审计员(只读)")


# Roles that see every unit whatever unit they are held in.
GLOBAL_VIEW_ROLES = frozenset({Role.COMMISSION, Role.AUDITOR})
# Roles that may write at all; commission writes everywhere.
EDITOR_ROLES = frozenset({Role.LEAD_UNIT, Role.CO_UNIT})
READ_ONLY_ROLES = frozenset({Role.LEADER, Role.AUDITOR})
