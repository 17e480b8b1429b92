-- The assignment ledger other systems read (contract section 4): every initial assignment and
-- every escalation, one row per assignment event, in the order they happened. A projection of
-- int_assignments_sequenced.
with

assignments as (

    select * from {{ ref('int_assignments_sequenced') }}

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
        assignment_sequence,
        previous_rep_id,
        recorded_at
    from assignments

)

select * from final
