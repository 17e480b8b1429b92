-- Every breached lead counts once on the violation ladder, against one rep: the ladder's
-- breach totals add up to the breached leads of lead_sla.
with

ladder as (

    select sum(total_breach_count) as ladder_breach_count
    from {{ ref('rep_violation_ladder') }}

),

breached as (

    select count(*) as breached_lead_count
    from {{ ref('lead_sla') }}
    where sla_status = 'breached'

)

select
    ladder.ladder_breach_count,
    breached.breached_lead_count
from ladder
cross join breached
where coalesce(ladder.ladder_breach_count, 0) <> breached.breached_lead_count
