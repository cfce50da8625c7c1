"""The monthly notice (月度通报): generated from the cycle's frozen figures,
then draft → reviewed → published by the commission office, each step a
recorded transition. A published notice is frozen: nothing changes it but an
explicit, recorded reopen with a reason.

The official number (文号, e.g. 萍纪惩办通〔2012〕3号) is given when the notice
is published, in order within the year of issue; until then the notice
carries a placeholder."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from inspections.choices import CycleKind, NoticeKind, NoticeStatus
from inspections.cycles import cycle_handler, period_label
from inspections.models import Notice, NoticeUnit, SupervisionCycle
from inspections.services.cycles import ensure_commission
from pingxiang_cf import audit
from pingxiang_cf.models import AuditAction
from pingxiang_cf.services import (
    audited_create,
    audited_delete,
    audited_transition,
    audited_update,
    begin_audited_write,
    finish_audited_write,
)

logger = logging.getLogger(__name__)

PLACEHOLDER = "(待编号)"
FROZEN_MESSAGE = gettext_lazy("已发布的通报已冻结,不能修改;如需更正,请先撤回发布并说明原因。")


def _lock(notice: Notice) -> Notice:
    list(Notice._base_manager.select_for_update().filter(pk=notice.pk).values_list("pk"))
    notice.refresh_from_db()
    return notice


def _ensure_draft(notice: Notice) -> None:
    if notice.status == NoticeStatus.PUBLISHED:
        raise ValidationError(str(FROZEN_MESSAGE), code="frozen")
    if notice.status != NoticeStatus.DRAFT:
        raise ValidationError(_("只能修改草稿状态的通报,请先退回草稿。"), code="not_draft")


def is_numbered(notice: Notice) -> bool:
    return not notice.number.startswith(PLACEHOLDER)


# --- Contents from the snapshot ------------------------------------------------------------


def _ranked_named(snapshot: dict) -> list[tuple[dict, str]]:
    """Units named critically: those with red-light projects, the most red
    projects first, then the lowest progress (at most NOTICE_NAMED_UNITS_MAX)."""
    lagging = [u for u in snapshot.get("units", []) if u["red"]]
    lagging.sort(key=lambda u: (-u["red"], u["progress"], u["code"]))
    named = []
    for unit in lagging[: settings.NOTICE_NAMED_UNITS_MAX]:
        reason = _(
            "%(red)d个项目亮红灯(%(numbers)s),平均核实进度%(progress)s%%,进度滞后于时间节点。"
        ) % {
            "red": unit["red"],
            "numbers": "、".join(unit["red_projects"]),
            "progress": unit["progress"],
        }
        named.append((unit, reason))
    return named


def _ranked_praised(snapshot: dict) -> list[tuple[dict, str]]:
    """Units praised: every project green, the highest progress first."""
    good = [u for u in snapshot.get("units", []) if u["projects"] and u["green"] == u["projects"]]
    good.sort(key=lambda u: (-u["progress"], u["code"]))
    return [
        (
            unit,
            _("%(n)d个项目全部绿灯,平均核实进度%(progress)s%%,推进有力。")
            % {"n": unit["projects"], "progress": unit["progress"]},
        )
        for unit in good[: settings.NOTICE_PRAISED_UNITS_MAX]
    ]


def notice_title(cycle: SupervisionCycle) -> str:
    return _("关于%(label)s惩防体系建设项目进展情况的通报") % {
        "label": period_label(cycle.kind, cycle.period)
    }


def notice_body(snapshot: dict, named: list, praised: list) -> str:
    """The notice's text, paragraphs separated by blank lines (the commission
    may edit it while the notice is a draft)."""
    overall = snapshot["overall"]
    paragraphs = [
        _(
            "%(label)s,全市%(units)d个牵头单位承担的%(projects)d个年度重点工作项目,"
            "平均核实进度%(progress)s%%(按工作流程图计划进度%(planned)s%%);"
            "其中绿灯%(green)d个、黄灯%(yellow)d个、红灯%(red)d个。"
        )
        % {**overall, "label": snapshot["label"]}
    ]
    comparison = snapshot.get("comparison")
    if comparison:
        delta = comparison["progress_delta"]
        red_delta = comparison["red_delta"]
        paragraphs.append(
            _(
                "与%(label)s相比,平均核实进度%(direction)s%(delta)s个百分点,"
                "红灯项目%(red_direction)s%(red_delta)d个。"
            )
            % {
                "label": comparison["label"],
                "direction": _("提高") if delta >= 0 else _("下降"),
                "delta": abs(delta),
                "red_direction": _("增加") if red_delta >= 0 else _("减少"),
                "red_delta": abs(red_delta),
            }
        )
    if praised:
        paragraphs.append(
            _("%(names)s等单位项目推进有力,台账规范,予以通报表扬。")
            % {"names": "、".join(u["name"] for u, _r in praised)}
        )
    if named:
        paragraphs.append(
            _(
                "%(names)s等%(n)d个单位项目推进滞后,予以通报批评。"
                "请上述单位于本通报印发之日起15日内将整改措施书面报市纪委惩防办。"
            )
            % {"names": "、".join(u["name"] for u, _r in named), "n": len(named)}
        )
    paragraphs.append(
        _(
            "各牵头单位要对照项目工作流程图和时间节点,按月报送项目管理台账,"
            "加快推进滞后项目;协办单位要主动配合,确保年度量化目标按期完成。"
        )
    )
    return "\n\n".join(str(p) for p in paragraphs)


def _write_named(row: NoticeUnit, *, actor, is_criticism: bool, reason: str) -> None:
    """Insert or change a named-unit row (its field `reason` shadows the audit
    helpers' keyword, hence the two-step audited write)."""
    before = begin_audited_write(row, actor=actor)
    row.is_criticism, row.reason = is_criticism, reason
    row.full_clean()
    row.save()
    finish_audited_write(row, actor=actor, before=before)


def _sync_named(notice: Notice, named: list, praised: list, *, actor) -> None:
    wanted = {u["id"]: (True, reason) for u, reason in named}
    wanted.update({u["id"]: (False, reason) for u, reason in praised})
    for row in list(notice.named_units.all()):
        want = wanted.pop(row.unit_id, None)
        if want is None:
            audited_delete(row, actor=actor, audit_reason=_("重新生成通报"))
        elif (row.is_criticism, row.reason) != want:
            _write_named(row, actor=actor, is_criticism=want[0], reason=want[1])
    for unit_id, (critical, reason) in wanted.items():
        row = NoticeUnit(notice=notice, unit_id=unit_id)
        _write_named(row, actor=actor, is_criticism=critical, reason=reason)


@transaction.atomic
def notice_generate(*, cycle: SupervisionCycle, actor=None) -> Notice:
    """The monthly notice of `cycle`, created or refreshed from its snapshot.
    Idempotent: one notice per (cycle, kind) (a database constraint); a
    reviewed or published notice is left as it is."""
    ensure_commission(actor)
    if cycle.kind != CycleKind.MONTHLY:
        raise ValidationError(_("月度通报只能由月度周期生成。"))
    snapshot = cycle.snapshot
    named, praised = _ranked_named(snapshot), _ranked_praised(snapshot)
    fields = {
        "title": notice_title(cycle),
        "body": notice_body(snapshot, named, praised),
        "generated_at": timezone.now(),
    }
    notice = Notice.objects.filter(cycle=cycle, kind=NoticeKind.MONTHLY).first()
    if notice is None:
        try:
            with transaction.atomic():
                notice = audited_create(
                    Notice,
                    actor=actor,
                    cycle=cycle,
                    kind=NoticeKind.MONTHLY,
                    number=f"{PLACEHOLDER}{cycle.kind}-{cycle.period}",
                    **fields,
                )
        except IntegrityError:  # another run created it meanwhile
            notice = Notice.objects.get(cycle=cycle, kind=NoticeKind.MONTHLY)
    else:
        notice = _lock(notice)
        if notice.status != NoticeStatus.DRAFT:
            return notice
        notice = audited_update(notice, actor=actor, pdf="", **fields)
    _sync_named(notice, named, praised, actor=actor)
    return notice


@cycle_handler(CycleKind.MONTHLY)
def monthly_notice_handler(*, cycle, actor):
    """Run with every monthly cycle: the draft notice of the month."""
    return notice_generate(cycle=cycle, actor=actor)


@transaction.atomic
def notice_regenerate(notice: Notice, *, actor) -> Notice:
    """Refresh a draft from its cycle's figures, by hand; a published notice
    is refused (frozen)."""
    ensure_commission(actor)
    notice = _lock(notice)
    _ensure_draft(notice)
    if notice.cycle_id is None or notice.kind != NoticeKind.MONTHLY:
        raise ValidationError(_("只有月度周期生成的通报可以重新生成。"))
    from inspections.services.cycles import cycle_run

    cycle_run(kind=notice.cycle.kind, period=notice.cycle.period, actor=actor)
    notice.refresh_from_db()
    return notice


# --- Editing a draft ---------------------------------------------------------------------------


@transaction.atomic
def notice_update(notice: Notice, *, actor, title: str, body: str) -> Notice:
    ensure_commission(actor)
    notice = _lock(notice)
    _ensure_draft(notice)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写通报标题。")})
    return audited_update(notice, actor=actor, title=title, body=(body or "").strip(), pdf="")


@transaction.atomic
def notice_unit_remove(named: NoticeUnit, *, actor, reason: str) -> None:
    """Take a unit off a draft notice (the commission decides whom to name);
    the generated text is written again without it."""
    ensure_commission(actor)
    notice = _lock(named.notice)
    _ensure_draft(notice)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请说明不予通报的理由。")})
    audited_delete(named, actor=actor, audit_reason=reason)
    # The generated text names the units: write it again without this one.
    rows = list(notice.named_units.select_related("unit").order_by("pk"))
    criticised = [({"name": r.unit.name}, r.reason) for r in rows if r.is_criticism]
    praised = [({"name": r.unit.name}, r.reason) for r in rows if not r.is_criticism]
    snapshot = notice.cycle.snapshot if notice.cycle_id else {}
    changes = {"pdf": ""}
    if snapshot.get("overall"):
        changes["body"] = notice_body(snapshot, criticised, praised)
    audited_update(notice, actor=actor, **changes)


# --- The workflow ------------------------------------------------------------------------------


def _move(notice: Notice, *, actor, allowed_from, to_state, reason="", **changes) -> Notice:
    ensure_commission(actor)
    notice = _lock(notice)
    if notice.status not in allowed_from:
        if notice.status == NoticeStatus.PUBLISHED:
            raise ValidationError(str(FROZEN_MESSAGE), code="frozen")
        raise ValidationError(
            _("通报当前状态为“%(status)s”,不能执行此操作。")
            % {"status": notice.get_status_display()},
            code="state",
        )
    for name, value in changes.items():
        setattr(notice, name, value)
    notice = audited_transition(notice, actor=actor, to_state=to_state, reason=reason)
    return notice


@transaction.atomic
def notice_review(notice: Notice, *, actor, reason: str = "") -> Notice:
    """draft → reviewed."""
    return _move(
        notice,
        actor=actor,
        allowed_from=(NoticeStatus.DRAFT,),
        to_state=NoticeStatus.REVIEWED,
        reason=reason,
    )


@transaction.atomic
def notice_return(notice: Notice, *, actor, reason: str) -> Notice:
    """reviewed → draft, with the reason."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写退回理由。")})
    return _move(
        notice,
        actor=actor,
        allowed_from=(NoticeStatus.REVIEWED,),
        to_state=NoticeStatus.DRAFT,
        reason=reason,
    )


def next_number(year: int) -> str:
    """The next free number of the year: 萍纪惩办通〔2012〕N号."""
    head = f"{settings.NOTICE_NUMBER_PREFIX}〔{year}〕"
    used = Notice._base_manager.filter(number__startswith=head).values_list("number", flat=True)
    highest = 0
    for number in used:
        digits = number[len(head) :].removesuffix("号")
        if digits.isdigit():
            highest = max(highest, int(digits))
    return f"{head}{highest + 1}号"


@transaction.atomic
def notice_publish(
    notice: Notice, *, actor, issued_on: datetime.date | None = None, render: bool = True
) -> Notice:
    """reviewed → published: the official number and date are given, the
    notice is frozen, its PDF is rendered after commit (unless `render` is
    off: the PDF is then rendered when first downloaded)."""
    issued_on = issued_on or timezone.localdate()
    current = _lock(notice)
    number = current.number
    if not is_numbered(current):
        number = next_number(issued_on.year)
    notice = _move(
        current,
        actor=actor,
        allowed_from=(NoticeStatus.REVIEWED,),
        to_state=NoticeStatus.PUBLISHED,
        number=number,
        issued_on=issued_on,
        pdf="",
    )
    if render:
        _enqueue_pdf(notice)
    return notice


@transaction.atomic
def notice_reopen(notice: Notice, *, actor, reason: str) -> Notice:
    """published → draft, explicitly and with a reason (a correction). The
    official number is kept."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("撤回已发布的通报须说明理由。")})
    return _move(
        notice,
        actor=actor,
        allowed_from=(NoticeStatus.PUBLISHED,),
        to_state=NoticeStatus.DRAFT,
        reason=reason,
    )


# --- The document ------------------------------------------------------------------------------


def notice_context(notice: Notice) -> dict:
    """What the page and the PDF show; from the frozen snapshot only."""
    snapshot = notice.cycle.snapshot if notice.cycle_id else {}
    named = list(notice.named_units.select_related("unit").order_by("unit__code"))
    units = snapshot.get("units", [])
    lights = {color: [] for color in ("red", "yellow", "green")}
    for row in snapshot.get("projects", []):
        lights[row["light"]].append(row)
    return {
        "notice": notice,
        "numbered": is_numbered(notice),
        "snapshot": snapshot,
        "overall": snapshot.get("overall"),
        "comparison": snapshot.get("comparison"),
        "units": units,
        "projects_by_light": [
            ("red", _("红灯"), lights["red"]),
            ("yellow", _("黄灯"), lights["yellow"]),
            ("green", _("绿灯"), lights["green"]),
        ],
        "criticised": [n for n in named if n.is_criticism],
        "praised": [n for n in named if not n.is_criticism],
        "paragraphs": [p for p in notice.body.split("\n\n") if p.strip()],
    }


def render_notice_pdf(notice: Notice) -> bytes:
    from pingxiang_cf.pdf import render_pdf

    return render_pdf("pdf/notice.html", notice_context(notice))


def pdf_filename(notice: Notice) -> str:
    return f"{notice.cycle.period if notice.cycle_id else notice.code}-{notice.kind}.pdf"


@transaction.atomic
def notice_store_pdf(notice: Notice) -> Notice:
    """Render the notice and keep the file (a system step: the document is
    derived from frozen data, so a rerun writes the same file once)."""
    notice = _lock(notice)
    content = render_notice_pdf(notice)
    old = notice.pdf.name if notice.pdf else ""
    notice.pdf.save(f"{notice.code}.pdf", ContentFile(content), save=False)
    Notice._base_manager.filter(pk=notice.pk).update(pdf=notice.pdf.name)
    audit.record(
        actor=None,
        action=AuditAction.UPDATE,
        obj=notice,
        before={"pdf": old},
        after={"pdf": notice.pdf.name},
        reason=_("生成通报PDF"),
    )
    if old and old != notice.pdf.name:
        transaction.on_commit(lambda: notice.pdf.storage.delete(old))
    return notice


def _enqueue_pdf(notice: Notice) -> None:
    from inspections import tasks

    notice_id = notice.pk
    transaction.on_commit(lambda: tasks.notice_pdf_task.delay(notice_id))
