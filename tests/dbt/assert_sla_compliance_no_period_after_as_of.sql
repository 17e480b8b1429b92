-- sla_compliance has no row for a period that starts after as_of (contract section 2): a lead
-- counts when its SLA was decided, and decisions are never in the future. A period that has
-- not ended at as_of is flagged as running (is_complete_period = false).
select
    period_grain,
    period_start_date,
    priority_tier,
    team,
    territory,
    is_complete_period
from {{ ref('sla_compliance') }}
where
    cast(period_start_date as {{ dbt.type_timestamp() }}) > {{ as_of() }}
    or (is_complete_period and cast(period_end_date as {{ dbt.type_timestamp() }}) > {{ as_of() }})
