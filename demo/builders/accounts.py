"""Demo sign-in accounts, one per role, with their memberships."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from accountability.models import Membership
from demo import data
from demo.context import DemoContext
from pingxiang_cf.roles import Role

# (username, display name, unit name — None for the city —, role)
ACCOUNTS = (
    ("commission", "市纪委惩防办", data.COMMISSION_OFFICE, Role.COMMISSION),
    ("leader", "市委领导", None, Role.LEADER),
    ("auditor", "市纪委审计员", data.COMMISSION_OFFICE, Role.AUDITOR),
    ("anyuan", "安源区惩防办", "安源区", Role.LEAD_UNIT),
    ("xiangdong", "湘东区惩防办", "湘东区", Role.LEAD_UNIT),
    ("lianhua", "莲花县惩防办", "莲花县", Role.LEAD_UNIT),
    ("shangli", "上栗县惩防办", "上栗县", Role.LEAD_UNIT),
    ("luxi", "芦溪县惩防办", "芦溪县", Role.LEAD_UNIT),
    ("caizheng", "市财政局", "市财政局", Role.LEAD_UNIT),
    ("shenji", "市审计局", "市审计局", Role.CO_UNIT),
    ("anyuan_leader", "安源区领导", "安源区", Role.LEADER),
    # 三员分立 (issue 9): system, security and audit administrators.
    ("sysadmin", "系统管理员", data.COMMISSION_OFFICE, Role.SYSTEM_ADMIN),
    ("secadmin", "安全管理员", data.COMMISSION_OFFICE, Role.SECURITY_ADMIN),
    ("auditadmin", "审计管理员", data.COMMISSION_OFFICE, Role.AUDIT_ADMIN),
)
USERNAMES = tuple(row[0] for row in ACCOUNTS)


def build_accounts(ctx: DemoContext) -> None:
    """Create the demo users (an existing user of the same name is kept as is,
    password included) and grant their roles."""
    user_model = get_user_model()
    existing = {u.username: u for u in user_model.objects.filter(username__in=USERNAMES)}
    # One hash for the shared demo password: hashing is deliberately slow.
    password = make_password(settings.DEMO_PASSWORD)
    new_users = [
        user_model(username=name, first_name=display, password=password, is_staff=True)
        for name, display, _unit, _role in ACCOUNTS
        if name not in existing
    ]
    user_model.objects.bulk_create(new_users)
    users = {**existing, **{u.username: u for u in new_users}}
    if new_users and new_users[0].pk is None:  # backends that do not return ids
        users = {u.username: u for u in user_model.objects.filter(username__in=USERNAMES)}
    ctx.users = users

    memberships = []
    for name, _display, unit_name, role in ACCOUNTS:
        unit = ctx.units_by_name[unit_name] if unit_name else ctx.root
        memberships.append(Membership(user=users[name], unit=unit, role=role))
        if role in (Role.LEAD_UNIT, Role.CO_UNIT):
            ctx.editors.setdefault(unit.pk, users[name])
    Membership.objects.bulk_create(memberships)
