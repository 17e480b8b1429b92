{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        schema='ledger',
        full_refresh=false
    )
}}
-- Long because an append-only ledger must read its own earlier rows ({{ this }}) in the same
-- statement that decides the new ones; the two escalation steps are named CTEs.
-- Escalations, an append-only ledger next to the initial assignments (contract section 2).
-- A lead its holder has not acknowledged when the tier's window runs out goes to the holder's
-- backup; still not acknowledged one more window later, to the manager. Acknowledgement = an
-- explicit acknowledgement by the rep holding the lead during that window, or a valid touch
-- (int_sales_activities_classified) by anyone; automated or generic activity acknowledges
-- nothing. Windows come from seed escalation_policies per tier and run on the calendar of the
-- rep holding the lead during them (macro sla_deadline: business minutes inside working time,
-- never later than the off-hours window; calendar minutes outside). A backup who is inactive
-- or on time off is skipped: the first escalation goes to the manager. An escalation is
-- dated when its window ran out, so a rebuild reproduces it.
with

initial_assignments as (

    select * from {{ ref('int_assignments_routed') }}

),

handed_off_leads as (

    select * from {{ ref('int_leads_handed_off') }}

),

reps as (

    select * from {{ ref('stg_crm__sales_reps') }}

),

acknowledgements as (

    select * from {{ ref('stg_crm__lead_acknowledgements') }}
    where acknowledged_at <= {{ as_of() }}

),

valid_touches as (

    select * from {{ ref('int_sales_activities_classified') }}
    where is_valid_touch and occurred_at <= {{ as_of() }}

),

escalation_policies as (

    select * from {{ ref('escalation_policies') }}

),

prior_escalations as (

    {% if is_incremental() -%}
    select
        lead_id,
        assignment_type
    from {{ this }}
    {%- else -%}
        select
            cast(null as {{ dbt.type_string() }}) as lead_id,
            cast(null as {{ dbt.type_string() }}) as assignment_type
        from escalation_policies
        where false
    {%- endif %}

),

policies_by_tier as (

    -- per lead and level, the tier's own window, else the any-tier one
    select
        initial_assignments.lead_id,
        escalation_policies.escalation_level,
        escalation_policies.in_hours_business_minutes,
        escalation_policies.off_hours_calendar_minutes,
        row_number() over (
            partition by initial_assignments.lead_id, escalation_policies.escalation_level
            order by case when escalation_policies.priority_tier is null then 1 else 0 end
        ) as policy_rank
    from initial_assignments
    inner join handed_off_leads
        on initial_assignments.lead_id = handed_off_leads.lead_id
    inner join escalation_policies
        on
            escalation_policies.priority_tier is null
            or handed_off_leads.priority_tier = escalation_policies.priority_tier

),

lead_touches as (

    -- a valid touch by anyone picks the lead up, whoever holds it
    select
        valid_touches.lead_id,
        min(valid_touches.occurred_at) as first_touched_at
    from valid_touches
    inner join initial_assignments
        on
            valid_touches.lead_id = initial_assignments.lead_id
            and valid_touches.occurred_at >= initial_assignments.assigned_at
    group by valid_touches.lead_id

),

first_windows as (

    select
        initial_assignments.lead_id,
        initial_assignments.rep_id as holder_rep_id,
        initial_assignments.assigned_at as window_started_at,
        policies_by_tier.in_hours_business_minutes,
        policies_by_tier.off_hours_calendar_minutes
    from initial_assignments
    inner join policies_by_tier
        on
            initial_assignments.lead_id = policies_by_tier.lead_id
            and policies_by_tier.escalation_level = 1
            and policies_by_tier.policy_rank = 1

),

first_deadlines as (

    {{ sla_deadline(
        'first_windows', 'holder_rep_id', 'window_started_at', 'in_hours_business_minutes',
        'off_hours_calendar_minutes', 'window_ends_at', 'is_window_started_in_working_time'
    ) }}

),

first_holder_acknowledgements as (

    select
        first_deadlines.lead_id,
        min(acknowledgements.acknowledged_at) as first_acknowledged_at
    from first_deadlines
    inner join acknowledgements
        on
            first_deadlines.lead_id = acknowledgements.lead_id
            and first_deadlines.holder_rep_id = acknowledgements.rep_id
            and first_deadlines.window_started_at <= acknowledgements.acknowledged_at
    group by first_deadlines.lead_id

),

first_escalations as (

    -- nobody picked the lead up by the end of the first window: the backup when they can take
    -- it, else straight to the manager
    select
        first_deadlines.lead_id,
        first_deadlines.holder_rep_id as previous_rep_id,
        first_deadlines.window_started_at,
        first_deadlines.window_ends_at,
        first_deadlines.is_window_started_in_working_time,
        first_deadlines.in_hours_business_minutes,
        first_deadlines.off_hours_calendar_minutes,
        holders.backup_rep_id,
        holders.manager_id,
        case
            when backups.rep_id is null then 'has no backup'
            when not backups.is_active then 'has an inactive backup (' || backups.rep_id || ')'
            when backup_time_off.rep_id is not null then 'has a backup on time off (' || backups.rep_id || ')'
        end as backup_unavailable_because
    from first_deadlines
    inner join reps as holders
        on first_deadlines.holder_rep_id = holders.rep_id
    left join reps as backups
        on holders.backup_rep_id = backups.rep_id
    {{ join_rep_time_off('backup_time_off', 'backups.rep_id', 'first_deadlines.window_ends_at') }}
    left join lead_touches
        on first_deadlines.lead_id = lead_touches.lead_id
    left join first_holder_acknowledgements
        on first_deadlines.lead_id = first_holder_acknowledgements.lead_id
    where
        first_deadlines.window_ends_at <= {{ as_of() }}
        and coalesce(lead_touches.first_touched_at > first_deadlines.window_ends_at, true)
        and coalesce(first_holder_acknowledgements.first_acknowledged_at > first_deadlines.window_ends_at, true)

),

second_windows as (

    -- the backup now holds the lead: the next window runs on the backup's calendar
    select
        first_escalations.lead_id,
        first_escalations.backup_rep_id as holder_rep_id,
        first_escalations.previous_rep_id as first_rep_id,
        first_escalations.manager_id,
        first_escalations.window_ends_at as window_started_at,
        policies_by_tier.in_hours_business_minutes,
        policies_by_tier.off_hours_calendar_minutes
    from first_escalations
    inner join policies_by_tier
        on
            first_escalations.lead_id = policies_by_tier.lead_id
            and policies_by_tier.escalation_level = 2
            and policies_by_tier.policy_rank = 1
    where first_escalations.backup_unavailable_because is null

),

second_deadlines as (

    {{ sla_deadline(
        'second_windows', 'holder_rep_id', 'window_started_at', 'in_hours_business_minutes',
        'off_hours_calendar_minutes', 'window_ends_at', 'is_window_started_in_working_time'
    ) }}

),

second_holder_acknowledgements as (

    select
        second_deadlines.lead_id,
        min(acknowledgements.acknowledged_at) as first_acknowledged_at
    from second_deadlines
    inner join acknowledgements
        on
            second_deadlines.lead_id = acknowledgements.lead_id
            and second_deadlines.holder_rep_id = acknowledgements.rep_id
            and second_deadlines.window_started_at <= acknowledgements.acknowledged_at
    group by second_deadlines.lead_id

),

second_escalations as (

    select second_deadlines.*
    from second_deadlines
    left join lead_touches
        on second_deadlines.lead_id = lead_touches.lead_id
    left join second_holder_acknowledgements
        on second_deadlines.lead_id = second_holder_acknowledgements.lead_id
    where
        second_deadlines.window_ends_at <= {{ as_of() }}
        and coalesce(lead_touches.first_touched_at > second_deadlines.window_ends_at, true)
        and coalesce(second_holder_acknowledgements.first_acknowledged_at > second_deadlines.window_ends_at, true)

),

escalations as (

    select
        first_escalations.lead_id,
        first_escalations.backup_rep_id as rep_id,
        first_escalations.previous_rep_id,
        first_escalations.window_ends_at as assigned_at,
        'escalation_backup' as assignment_type,
        1 as escalation_level,
        'Not acknowledged by ' || first_escalations.previous_rep_id || ' within '
        || {{ escalation_window_text('first_escalations') }}
        || ': escalated to backup ' || first_escalations.backup_rep_id || '.' as routing_reason
    from first_escalations
    where first_escalations.backup_unavailable_because is null
    union all
    select
        first_escalations.lead_id,
        first_escalations.manager_id as rep_id,
        first_escalations.previous_rep_id,
        first_escalations.window_ends_at as assigned_at,
        'escalation_manager' as assignment_type,
        1 as escalation_level,
        'Not acknowledged by ' || first_escalations.previous_rep_id || ' within '
        || {{ escalation_window_text('first_escalations') }}
        || '; ' || first_escalations.previous_rep_id || ' ' || first_escalations.backup_unavailable_because
        || ': escalated to manager ' || first_escalations.manager_id || '.' as routing_reason
    from first_escalations
    where first_escalations.backup_unavailable_because is not null
    union all
    select
        lead_id,
        manager_id as rep_id,
        holder_rep_id as previous_rep_id,
        window_ends_at as assigned_at,
        'escalation_manager' as assignment_type,
        2 as escalation_level,
        'Still not acknowledged within ' || {{ escalation_window_text('second_escalations') }}
        || ' of escalation to backup ' || holder_rep_id
        || ': escalated to manager ' || manager_id
        || ' of ' || first_rep_id || '.' as routing_reason
    from second_escalations

),

new_escalations as (

    -- the receiver must exist and be active; nothing is written twice
    select
        escalations.*,
        receivers.team
    from escalations
    inner join reps as receivers
        on escalations.rep_id = receivers.rep_id
    left join prior_escalations
        on
            escalations.lead_id = prior_escalations.lead_id
            and escalations.assignment_type = prior_escalations.assignment_type
    where receivers.is_active and prior_escalations.lead_id is null

),

final as (

    select
        lead_id || ':' || assignment_type as assignment_id,
        lead_id,
        rep_id,
        team,
        assigned_at,
        assignment_type,
        escalation_level,
        previous_rep_id,
        routing_reason,
        {{ as_of() }} as recorded_at
    from new_escalations

)

select * from final
