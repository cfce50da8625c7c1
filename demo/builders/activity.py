"""A few everyday changes made through the audited services by the demo
accounts, so that the audit log and the transition history show real rows
(the bulk builders write seed data, which is not audited)."""

from __future__ import annotations

from accountability.models import RiskControl, RiskPoint
from demo.context import DemoContext
from inspections.choices import FindingStatus
from inspections.models import Finding
from pingxiang_cf.services import audited_create, audited_transition, audited_update
from projects.models import Project


def build_recent_activity(ctx: DemoContext) -> None:
    commission, caizheng = ctx.users["commission"], ctx.users["caizheng"]

    project = Project.objects.filter(year=2011).order_by("number").first()
    audited_update(
        project,
        actor=commission,
        description=project.description + "(2011年11月调度会后补充:年底前完成全部岗位风险复核。)",
        audit_reason="年度调度会议定事项",
    )

    finding = Finding.objects.filter(status=FindingStatus.SUBMITTED).order_by("pk").first()
    if finding is not None:
        audited_transition(
            finding,
            actor=commission,
            to_state=FindingStatus.RETURNED,
            reason="整改佐证材料不全,请补充会议记录和制度文本后重新报送",
        )

    risk_point = RiskPoint.objects.filter(power__post__unit__name="市财政局").order_by("pk").first()
    if risk_point is not None:
        audited_create(
            RiskControl,
            actor=caizheng,
            risk_point=risk_point,
            measure="实行政府采购项目“双人经办、交叉复核”,采购结果在单位内网公示5个工作日",
            rule_name="市财政局政府采购内部控制规程",
            owner="分管副局长",
        )
