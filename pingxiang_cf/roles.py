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
    # 三员分立 (separation of duties, GB/T 22239-2019 level 3): three
    # administrators, none of whom can do another's work or any business work.
    SYSTEM_ADMIN = "sysadmin", _("系统管理员")
    SECURITY_ADMIN = "secadmin", _("安全管理员")
    AUDIT_ADMIN = "auditadmin", _("审计管理员")


# Roles that see every unit whatever unit they are held in.
GLOBAL_VIEW_ROLES = frozenset({Role.COMMISSION, Role.AUDITOR})
# Roles that may write at all; commission writes everywhere.
EDITOR_ROLES = frozenset({Role.LEAD_UNIT, Role.CO_UNIT})
READ_ONLY_ROLES = frozenset({Role.LEADER, Role.AUDITOR})
# The three administrators: they see no business data beyond what their
# duty needs and never write it.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
# What each administrator may do beyond the models that name it
# (`scope_admin_roles`): Django permission names, given by RoleBackend.
ADMIN_PERMISSIONS = {
    Role.SYSTEM_ADMIN: frozenset({"auth.view_user", "auth.add_user", "auth.change_user"}),
    Role.SECURITY_ADMIN: frozenset(
        {
            "security.view_lockout",
            "security.change_lockout",
            "security.view_loginattempt",
            "security.view_securitypolicy",
            "security.change_securitypolicy",
        }
    ),
    Role.AUDIT_ADMIN: frozenset({"pingxiang_cf.view_auditlog"}),
}
