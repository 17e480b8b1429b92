-- Every breached lead that has an SLA rep counts once on the violation ladder, against that
-- rep: the ladder's breach totals per rep add up to the breached leads of lead_sla per
-- sla_rep_id (a breach of a lead nobody owns, team `unassigned`, has no rep to count against).
with

ladder as (

    select
        rep_id,
        total_breach_count
    from {{ ref('rep_violation_ladder') }}
    where total_breach_count > 0

),

breached as (

    select
        sla_rep_id as rep_id,
        count(*) as breached_lead_count
    from {{ ref('lead_sla') }}
    where sla_status = 'breached' and sla_rep_id is not null
    group by sla_rep_id

),

final as (

    select
        ladder.total_breach_count,
        breached.breached_lead_count,
        coalesce(ladder.rep_id, breached.rep_id) as rep_id
    from ladder
    full outer join breached
        on ladder.rep_id = breached.rep_id
    where coalesce(ladder.total_breach_count, 0) <> coalesce(breached.breached_lead_count, 0)

)

select * from final
