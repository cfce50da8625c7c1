from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitTier(models.TextChoices):
    """Organisational level; the 1335 model's three tiers plus the city itself."""

    CITY = "city", _("市级")
    COUNTY = "county", _("县区")
    DEPARTMENT = "department", _("部门")
    GRASSROOTS = "grassroots", _("基层")


class UnitKind(models.TextChoices):
    CITY = "city", _("市委市政府")
    COUNTY = "county", _("县(区)")
    MUNICIPAL_DEPT = "municipal_dept", _("市直单位")
    PROVINCIAL_DEPT = "provincial_dept", _("省属驻萍单位")
    TOWNSHIP = "township", _("乡镇(街道)机关")
    COUNTY_SERVICE_CENTRE = "county_service_centre", _("县区政务中心")
    TOWNSHIP_SERVICE_CENTRE = "township_service_centre", _("乡镇便民服务中心和公共资源交易站")
    VILLAGE_AGENT_POINT = "village_agent_point", _("村级代办点")
    COMMUNITY = "community", _("社区")
    ENTERPRISE = "enterprise", _("企业")
    SCHOOL = "school", _("学校")


class OfficialRank(models.TextChoices):
    PROVINCIAL = "provincial", _("厅级")
    COUNTY = "county", _("县处级")
    SECTION = "section", _("乡科级")
    OTHER = "other", _("其他")


class GroupPosition(models.TextChoices):
    LEADER = "leader", _("组长")
    DEPUTY = "deputy", _("副组长")
    MEMBER = "member", _("成员")
    OFFICE_DIRECTOR = "office_director", _("办公室主任")


class LetterLevel(models.TextChoices):
    CITY_TO_LEAD = "city_to_lead", _("市委与牵头单位")
    LEAD_TO_SUBORDINATE = "lead_to_subordinate", _("牵头单位与下属单位")
    LEAD_TO_SECTION = "lead_to_section", _("牵头单位与内设科室")


class LetterStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已下发")
    SIGNED = "signed", _("已签订")


class RiskLevel(models.TextChoices):
    HIGH = "high", _("高")
    MEDIUM = "medium", _("中")
    LOW = "low", _("低")


class RiskCategory(models.TextChoices):
    """The five kinds of corruption risk (思想道德, 岗位职责, 业务流程, 制度机制, 外部环境)."""

    MORAL = "moral", _("思想道德风险")
    DUTY = "duty", _("岗位职责风险")
    PROCESS = "process", _("业务流程风险")
    INSTITUTIONAL = "institutional", _("制度机制风险")
    EXTERNAL = "external", _("外部环境风险")


class OversightTier(models.TextChoices):
    """分层监管: who watches the risk."""

    UNIT = "unit", _("本单位")
    SUPERVISING_DEPT = "supervising_dept", _("主管部门")
    COMMISSION = "commission", _("纪委监委")


class HandlingCategory(models.TextChoices):
    """分类处置: how a risk that materialises is handled."""

    REMINDER = "reminder", _("提醒谈话")
    CORRECTION = "correction", _("诫勉纠错")
    ACCOUNTABILITY = "accountability", _("问责追究")
    REFERRAL = "referral", _("移送查处")


class OutcomeSource(models.TextChoices):
    ASSESSMENT = "assessment", _("年度考核")
    FINDING = "finding", _("督查发现问题")
    LETTER = "letter", _("督办函逾期")
    OTHER = "other", _("其他")


class AccountabilityMeasure(models.TextChoices):
    CRITICISM_NOTICE = "criticism_notice", _("通报批评")
    ADMONITION = "admonition", _("诫勉谈话")
    ORDERED_INSPECTION = "ordered_inspection", _("责令检查")
    ORGANISATIONAL = "organisational", _("组织处理")
    DISCIPLINARY = "disciplinary", _("党纪政务处分")
    VETO = "veto", _("一票否决")


class ReviewStatus(models.TextChoices):
    """A unit's yearly risk map: the unit re-assesses, the commission approves."""

    DRAFT = "draft", _("编制中")
    SUBMITTED = "submitted", _("待审核")
    APPROVED = "approved", _("已审定")
    RETURNED = "returned", _("已退回")


class OutcomeStatus(models.TextChoices):
    """A commendation or accountability case: proposed, the subject states its
    case (陈述申辩, accountability only), decided, or withdrawn."""

    PROPOSED = "proposed", _("拟定")
    STATEMENT = "statement", _("陈述申辩")
    DECIDED = "decided", _("已决定")
    WITHDRAWN = "withdrawn", _("已撤销")
