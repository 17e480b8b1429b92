-- The two append-only ledgers as one: every initial assignment and every escalation, one row
-- per assignment event, numbered in the order they happened per lead (assignment_sequence).
-- The lead_assignments mart projects it; alerts read the current holder from it.
with

initial_assignments as (

    select * from {{ ref('int_assignments_routed') }}

),

escalations as (

    select * from {{ ref('int_assignments_escalated') }}

),

unioned as (

    select
        assignment_id,
        lead_id,
        rep_id,
        team,
        assigned_at,
        assignment_type,
        routing_rule_id,
        routing_reason,
        0 as escalation_level,
        cast(null as {{ dbt.type_string() }}) as previous_rep_id,
        recorded_at
    from initial_assignments
    union all
    select
        assignment_id,
        lead_id,
        rep_id,
        team,
        assigned_at,
        assignment_type,
        cast(null as {{ dbt.type_string() }}) as routing_rule_id,
        routing_reason,
        escalation_level,
        previous_rep_id,
        recorded_at
    from escalations

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
        cast(row_number() over (partition by lead_id order by escalation_level) as integer)
            as assignment_sequence,
        previous_rep_id,
        recorded_at
    from unioned

)

select * from final
