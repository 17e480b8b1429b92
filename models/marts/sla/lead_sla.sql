-- The first-touch SLA mart (contract section 4): one row per handed-off lead, typed for the
-- contract. The logic is in int_leads_sla_evaluated; docs/sla.md explains every column.
with

evaluated as (

    select * from {{ ref('int_leads_sla_evaluated') }}

),

final as (

    select
        lead_id,
        cast(priority_tier as integer) as priority_tier,
        handoff_at,
        sla_rep_id,
        is_handoff_in_business_hours,
        sla_due_at,
        first_valid_touch_at,
        first_touch_rep_id,
        cast(response_business_minutes as {{ type_double() }}) as response_business_minutes,
        sla_status,
        is_routed,
        sla_calendar_id,
        team,
        territory,
        assignment_type,
        cast(sla_policy_minutes as integer) as sla_policy_minutes,
        sla_policy_clock,
        breach_at,
        cast(minutes_overdue as {{ type_double() }}) as minutes_overdue,
        cast(minutes_until_due as {{ type_double() }}) as minutes_until_due,
        first_touch_activity_id,
        created_at,
        assigned_at,
        assignment_recorded_at,
        is_backfilled_assignment,
        first_acknowledged_at,
        cast(created_to_handoff_minutes as {{ type_double() }}) as created_to_handoff_minutes,
        cast(handoff_to_assignment_minutes as {{ type_double() }}) as handoff_to_assignment_minutes,
        cast(assignment_to_acknowledgement_minutes as {{ type_double() }}) as assignment_to_acknowledgement_minutes,
        cast(acknowledgement_to_first_touch_minutes as {{ type_double() }}) as acknowledgement_to_first_touch_minutes,
        cast(handoff_to_first_touch_minutes as {{ type_double() }}) as handoff_to_first_touch_minutes,
        sla_as_of_at
    from evaluated

)

select * from final
