-- Response times and speed-to-lead segments never run backwards: the first valid touch is at or
-- after handoff, an acknowledgement at or after the assignment.
select
    lead_id,
    response_business_minutes,
    handoff_to_first_touch_minutes,
    assignment_to_acknowledgement_minutes,
    acknowledgement_to_first_touch_minutes
from {{ ref('lead_sla') }}
where
    response_business_minutes < 0
    or handoff_to_first_touch_minutes < 0
    or assignment_to_acknowledgement_minutes < 0
    or acknowledgement_to_first_touch_minutes < 0
    or minutes_overdue <= 0
    or minutes_until_due < 0
