"""Writes for the accountability app, one module per capability; every
service is re-exported here (`from accountability.services import …`)."""

from accountability.services.groups import (  # noqa: F401
    group_create,
    group_dissolve,
    group_member_add,
    group_member_end,
)
from accountability.services.letters import (  # noqa: F401
    letter_cascade,
    letter_cascade_step,
    letter_generate,
    letter_issue,
    letter_sign,
    letters_generate_year,
)
from accountability.services.permissions import (  # noqa: F401
    can_edit_risk_map,
    can_manage,
    can_see_personal_data,
)
from accountability.services.register import (  # noqa: F401
    can_state_case,
    case_decide,
    case_propose,
    case_request_statement,
    case_statement_record,
    case_withdraw,
    commendation_decide,
    commendation_propose,
    officials_export_audit,
    officials_view_audit,
)
from accountability.services.risk import (  # noqa: F401
    risk_control_add,
    risk_point_add,
    risk_point_update,
    risk_post_create,
    risk_post_update,
    risk_power_add,
    risk_process_create,
    risk_review_approve,
    risk_review_return,
    risk_review_start,
    risk_review_submit,
)
from accountability.services.tree import (  # noqa: F401
    membership_grant,
    risk_level,
    unit_create,
    unit_update,
)
