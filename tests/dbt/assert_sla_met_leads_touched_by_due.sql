-- A lead whose SLA is met was touched at or before its due time, after its handoff.
select
    lead_id,
    handoff_at,
    sla_due_at,
    first_valid_touch_at
from {{ ref('lead_sla') }}
where
    sla_status = 'met'
    and not (
        first_valid_touch_at is not null
        and sla_due_at is not null
        and first_valid_touch_at <= sla_due_at
        and first_valid_touch_at >= handoff_at
    )
