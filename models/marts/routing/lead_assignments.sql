-- The assignment ledger other systems read: every initial assignment and every
-- escalation, one row per assignment event, in the order they happened.
with

initial_assignments as (

    select * from {{ ref('int_assignments_routed') }}

),

final as (

    select
        assignment_id,
        lead_id,
        rep_id,
        team,
        assigned_at,
        assignment_type,
        routing_rule_id,
        routing_reason,
        1 as assignment_sequence,
        cast(null as {{ dbt.type_string() }}) as previous_rep_id,
        recorded_at
    from initial_assignments

)

select * from final
