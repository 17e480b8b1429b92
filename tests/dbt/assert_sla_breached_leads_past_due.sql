-- A breached lead was touched after its due time, or is untouched and past due at as_of;
-- a pending lead is neither touched nor past due.
select
    lead_id,
    sla_status,
    sla_due_at,
    first_valid_touch_at,
    sla_as_of_at
from {{ ref('lead_sla') }}
where
    (
        sla_status = 'breached'
        and not (
            sla_due_at is not null
            and (
                first_valid_touch_at > sla_due_at
                or (first_valid_touch_at is null and sla_as_of_at > sla_due_at)
            )
        )
    )
    or (
        sla_status = 'pending'
        and sla_due_at is not null
        and (first_valid_touch_at is not null or sla_as_of_at > sla_due_at)
    )
