{#- The first-touch SLA of every handed-off lead judged at as_of (contract sections 3 and 4):
    the stored facts (int_lead_sla_facts_computed, incremental per lead) plus what moves with
    as_of: the status, the breach, the minutes overdue and until due. A view: a cheap
    projection, judged afresh by every run, so a breach without a touch keeps growing. -#}
{{ config(materialized='view') }}

with

facts as (

    select * from {{ ref('int_lead_sla_facts_computed') }}

),

statuses as (

    select
        *,
        case
            when sla_due_at is null then 'pending'
            when first_valid_touch_at <= sla_due_at then 'met'
            when first_valid_touch_at > sla_due_at then 'breached'
            when {{ as_of() }} > sla_due_at then 'breached'
            else 'pending'
        end as sla_status
    from facts

),

final as (

    select
        lead_id,
        priority_tier,
        handoff_at,
        sla_rep_id,
        is_handoff_in_business_hours,
        sla_due_at,
        first_valid_touch_at,
        first_touch_rep_id,
        response_business_minutes,
        sla_status,
        is_routed,
        sla_calendar_id,
        team,
        territory,
        assignment_type,
        sla_policy_minutes,
        sla_policy_clock,
        case when sla_status = 'breached' then sla_due_at end as breach_at,
        case
            when sla_status = 'breached'
                then {{ minutes_between('sla_due_at', 'coalesce(first_valid_touch_at, ' ~ as_of() ~ ')') }}
        end as minutes_overdue,
        case
            when sla_status = 'pending' and sla_due_at is not null
                then {{ minutes_between(as_of(), 'sla_due_at') }}
        end as minutes_until_due,
        first_touch_activity_id,
        created_at,
        assigned_at,
        assignment_recorded_at,
        first_acknowledged_at,
        created_to_handoff_minutes,
        is_backfilled_assignment,
        handoff_to_assignment_minutes,
        assignment_to_acknowledgement_minutes,
        acknowledgement_to_first_touch_minutes,
        handoff_to_first_touch_minutes,
        {{ as_of() }} as sla_as_of_at
    from statuses

)

select * from final
