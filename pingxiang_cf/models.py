"""Shared models: the abstract base every domain model extends, the audit
log and the append-only transition record."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pingxiang_cf import auditchain
from pingxiang_cf.roles import Role
from pingxiang_cf.scope import RestrictedQuerySet, get_user_scope


class BaseModel(models.Model):
    """created_at / updated_at and the scoped manager (`.restrict(user, action)`)."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    # Visibility declarations, see pingxiang_cf/scope.py.
    scope_paths: tuple[str, ...] | None = None
    scope_edit_paths: tuple[str, ...] = ()

    class Meta:
        abstract = True


class AuditAction(models.TextChoices):
    CREATE = "create", _("新增")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    TRANSITION = "transition", _("状态变更")
    # Security events (issue 9): who came in, who was refused, what left the system.
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOCKOUT = "lockout", _("账号锁定")
    UNLOCK = "unlock", _("解除锁定")
    LOGOUT = "logout", _("退出登录")
    DENIED = "denied", _("越权访问被拒绝")
    EXPORT = "export", _("导出")
    IMPORT = "import", _("导入")
    VIEW_PERSONAL = "view_personal", _("查看个人信息")
    SECURITY = "security", _("安全设置")


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失败")
    DENIED = "denied", _("拒绝")


class AppendOnlyQuerySet(RestrictedQuerySet):
    """Rows are written once; bulk update/delete through the ORM is refused,
    and a bulk insert saves row by row so that each row takes its own hook
    (the audit log's hash chain)."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        with transaction.atomic(using=self.db):
            for obj in objs:
                obj.save(using=self.db)
        return objs

    def update(self, **kwargs):
        raise ValidationError(_("审计记录不可修改。"))

    def delete(self):
        raise ValidationError(_("审计记录不可删除。"))


class AppendOnlyModel(models.Model):
    """Refuses to be saved a second time or deleted through the ORM."""

    objects = AppendOnlyQuerySet.as_manager()
    scope_read_only = True

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("审计记录不可修改。"))
        # Always an INSERT: a new instance carrying an existing pk must not
        # turn into an UPDATE of that row (the database refuses the duplicate).
        kwargs["force_insert"] = kwargs.get("force_insert") or True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("审计记录不可删除。"))


class AuditLog(AppendOnlyModel):
    """Who did what, when, from where, with the values before and after.

    Rows form a hash chain (pingxiang_cf/auditchain.py): `seq` numbers them
    without gaps and `hash` covers the row's values and the previous row's
    hash, so `manage.py verify_audit_chain` finds a changed, removed or
    inserted row."""

    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    seq = models.BigIntegerField(_("序号"), unique=True, null=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    unit = models.CharField(_("所在单位"), max_length=255, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    action = models.CharField(_("操作"), max_length=24, choices=AuditAction.choices)
    outcome = models.CharField(
        _("结果"), max_length=16, choices=AuditOutcome.choices, default=AuditOutcome.SUCCESS
    )
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("对象类型"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=255, blank=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    changed_fields = models.JSONField(_("变更字段"), default=list, blank=True)
    reason = models.TextField(_("原因"), blank=True)
    prev_hash = models.CharField(_("前一条哈希"), max_length=64, blank=True, editable=False)
    hash = models.CharField(_("哈希"), max_length=64, blank=True, editable=False)

    scope_paths = None
    # An object's change history is read on its own page by the commission
    # and the auditor; the audit log as such (search, export, the admin) is
    # the audit administrator's alone (三员分立): `log_roles`.
    scope_view_roles = (Role.COMMISSION, Role.AUDITOR, Role.AUDIT_ADMIN)
    log_roles = (Role.AUDIT_ADMIN,)

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["action", "created_at"]),
        ]

    def __str__(self):
        when = f"{self.created_at:%Y-%m-%d %H:%M}" if self.created_at else ""
        return f"{when} {self.actor_name} {self.get_action_display()} {self.object_repr}"

    def save(self, *args, **kwargs):
        # Every row joins the hash chain, whoever writes it: a row without its
        # place in the chain is linked first (auditchain.append saves it again
        # with seq and hashes set).
        if self.seq is None:
            auditchain.append(self)
            return
        super().save(*args, **kwargs)


class AuditChainHead(models.Model):
    """The last link of the audit chain, one row. A writer locks it
    (SELECT ... FOR UPDATE) to append, so two concurrent writers are
    serialised and never link to the same predecessor."""

    seq = models.BigIntegerField(_("序号"), default=0)
    hash = models.CharField(_("哈希"), max_length=64, blank=True)

    objects = RestrictedQuerySet.as_manager()
    scope_paths = None
    scope_read_only = True  # moved only by pingxiang_cf.auditchain.append
    scope_view_roles = (Role.AUDIT_ADMIN,)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self):
        return f"#{self.seq} {self.hash[:12]}"


class Transition(AppendOnlyModel):
    """One status change of any workflow object: from, to, reason, actor, time."""

    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("对象类型"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.CharField(_("对象编号"), max_length=64)
    field = models.CharField(_("状态字段"), max_length=64, default="status")
    from_state = models.CharField(_("原状态"), max_length=32, blank=True)
    to_state = models.CharField(_("新状态"), max_length=32)
    reason = models.TextField(_("原因"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Readable like the object it belongs to; the app shows it on that object's page.
    scope_paths = None

    class Meta:
        verbose_name = _("状态变更记录")
        verbose_name_plural = _("状态变更记录")
        ordering = ["content_type", "object_id", "created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.from_state or '∅'} → {self.to_state}"


# --- Notifications in the app (the bell) ------------------------------------------


class NotificationVerb(models.TextChoices):
    ASSIGNED = "assigned", _("新分解任务")
    RETURNED = "returned", _("台账被退回")
    DUE_SOON = "due_soon", _("即将到期")
    OVERDUE = "overdue", _("已逾期")
    VERIFIED = "verified", _("台账已核实")
    REMINDER = "reminder", _("催办")
    LETTER = "letter", _("督办函")
    INTERVIEW = "interview", _("约谈")
    FINDING = "finding", _("督查发现问题")
    MEETING_ITEM = "meeting_item", _("会议议定事项")


# How loud a notification's badge is in the bell's list.
URGENT_VERBS = frozenset(
    {NotificationVerb.OVERDUE, NotificationVerb.RETURNED, NotificationVerb.LETTER}
    | {NotificationVerb.INTERVIEW}
)
WARNING_VERBS = frozenset({NotificationVerb.DUE_SOON, NotificationVerb.REMINDER})


# Reminders sent by the daily job: at most one per recipient, object and day.
REMINDER_VERBS = (NotificationVerb.DUE_SOON, NotificationVerb.OVERDUE)


class NotificationQuerySet(models.QuerySet):
    """A notification belongs to its recipient: only they see it, and nobody
    changes it through `restrict` (services mark notifications read)."""

    def restrict(self, user, action: str = "view"):
        if action != "view" or user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One message in a user's bell. It points at the object it is about
    (content type + id) so that the page can build a link; no URL is stored."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    verb = models.CharField(_("类型"), max_length=16, choices=NotificationVerb.choices)
    message = models.TextField(_("内容"))
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("对象类型"), on_delete=models.CASCADE, related_name="+"
    )
    object_id = models.CharField(_("对象编号"), max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    day = models.DateField(_("日期"))
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("消息提醒")
        verbose_name_plural = _("消息提醒")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "verb", "content_type", "object_id", "day"],
                condition=Q(verb__in=REMINDER_VERBS),
                name="notification_reminder_once_a_day",
                violation_error_message=_("今天已发送过该提醒。"),
            )
        ]

    def __str__(self):
        return f"{self.get_verb_display()}:{self.message[:30]}"

    @property
    def tone(self) -> str:
        """The badge's Bootstrap colour."""
        if self.verb in URGENT_VERBS:
            return "danger"
        return "warning" if self.verb in WARNING_VERBS else "secondary"


# --- Background jobs with progress ------------------------------------------------


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("运行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


LIVE_JOB_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


class JobQuerySet(models.QuerySet):
    """A job belongs to whoever started it; the commission sees every job.
    Nobody changes a job through `restrict`: the services in
    pingxiang_cf/jobs.py do, from the worker."""

    def restrict(self, user, action: str = "view"):
        if action != "view" or user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if get_user_scope(user).edits_all:
            return self
        return self.filter(created_by=user)


class Job(models.Model):
    """A long piece of work done by a Celery task (a cycle run, a batch of PDFs,
    a large export): the page polls it for progress and, when it carries a
    file, offers the download. `key` names what the job works on; two live
    jobs with the same kind and key cannot exist (a second "run now" click
    joins the first)."""

    code = models.UUIDField(_("编码"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("任务类型"), max_length=64)
    key = models.CharField(_("任务对象"), max_length=128, blank=True)
    title = models.CharField(_("任务名称"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("总量"), default=0)
    done = models.PositiveIntegerField(_("已完成"), default=0)
    message = models.CharField(_("说明"), max_length=255, blank=True)
    error = models.TextField(_("错误"), blank=True)
    file = models.FileField(_("结果文件"), upload_to="jobs/%Y/%m/", blank=True)
    filename = models.CharField(_("文件名"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("文件保留至"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key"],
                condition=Q(status__in=LIVE_JOB_STATUSES) & ~Q(key=""),
                name="job_one_live_per_kind_key",
                violation_error_message=_("同一任务正在运行,请等待其完成。"),
            ),
            models.CheckConstraint(
                condition=Q(done__lte=models.F("total")) | Q(total=0),
                name="job_done_within_total",
                violation_error_message=_("已完成数量不能超过总量。"),
            ),
        ]

    def __str__(self):
        return f"{self.title}({self.get_status_display()})"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_JOB_STATUSES

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, int(self.done * 100 / self.total))


# --- API tokens (pingxiang_cf/tokens.py, pingxiang_cf/api/authentication.py) ------------


class ApiTokenQuerySet(models.QuerySet):
    """A token belongs to its user: only they see it (the commission too sees
    only its own); nobody changes one through `restrict` (tokens.py revokes)."""

    def restrict(self, user, action: str = "view"):
        if action != "view" or user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        return self.filter(user=user)


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 hash of the key is stored; the key
    itself is shown once, when the token is created. A token acts with its
    user's scope and stops working when it expires, is revoked, or its user
    is switched off."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("名称"), max_length=64)
    prefix = models.CharField(_("前缀"), max_length=16, editable=False)
    key_hash = models.CharField(_("密钥摘要"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API令牌")
        verbose_name_plural = _("API令牌")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"],
                condition=Q(revoked_at__isnull=True),
                name="api_token_unique_active_name",
                violation_error_message=_("您已有同名的有效令牌。"),
            )
        ]

    def __str__(self):
        return f"{self.name}({self.prefix}…)"
