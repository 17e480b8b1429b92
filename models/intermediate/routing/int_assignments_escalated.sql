{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        schema='ledger',
        full_refresh=false
    )
}}
-- Escalations, an append-only ledger next to the initial assignments. A lead nobody has
-- acknowledged (an acknowledgement, or any outbound touch) when its window runs out goes to
-- the assignee's backup; still unacknowledged one more window later, to the manager. A
-- backup who is inactive or on time off is skipped: the first escalation goes to the
-- manager. Windows (seed escalation_policies) are business minutes of the current
-- assignee's working time when the window starts inside it, else calendar minutes.
-- An escalation is dated when its window ran out, so a rebuild reproduces it.
with

initial_assignments as (

    select * from {{ ref('int_assignments_routed') }}

),

leads as (

    select * from {{ ref('leads') }}
    where not is_disqualified

),

reps as (

    select * from {{ ref('stg_crm__sales_reps') }}
    where quarantine_reason is null

),

time_off as (

    select * from {{ ref('stg_crm__rep_time_off') }}
    where quarantine_reason is null

),

acknowledgements as (

    select * from {{ ref('stg_crm__lead_acknowledgements') }}
    where quarantine_reason is null and acknowledged_at <= {{ as_of() }}

),

activities as (

    select * from {{ ref('stg_crm__sales_activities') }}
    where quarantine_reason is null and occurred_at <= {{ as_of() }}

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

lead_responses as (

    -- anything showing someone has picked the lead up
    select
        lead_id,
        acknowledged_at as responded_at
    from acknowledgements
    union all
    select
        lead_id,
        occurred_at as responded_at
    from activities
    where direction = 'outbound'

),

first_responses as (

    select
        initial_assignments.lead_id,
        min(lead_responses.responded_at) as first_responded_at
    from initial_assignments
    inner join lead_responses
        on
            initial_assignments.lead_id = lead_responses.lead_id
            and initial_assignments.assigned_at <= lead_responses.responded_at
    group by initial_assignments.lead_id

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
    inner join leads
        on initial_assignments.lead_id = leads.lead_id
    inner join escalation_policies
        on
            escalation_policies.priority_tier is null
            or leads.priority_tier = escalation_policies.priority_tier

),

first_windows as (

    select
        initial_assignments.lead_id,
        initial_assignments.rep_id as assignee_rep_id,
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
        'first_windows', 'assignee_rep_id', 'window_started_at', 'in_hours_business_minutes',
        'off_hours_calendar_minutes', 'window_ends_at', 'is_window_started_in_working_time'
    ) }}

),

first_escalations as (

    -- the backup when they can take it, else straight to the manager
    select
        first_deadlines.lead_id,
        first_deadlines.assignee_rep_id as previous_rep_id,
        first_deadlines.window_started_at,
        first_deadlines.window_ends_at,
        first_deadlines.is_window_started_in_working_time,
        first_deadlines.in_hours_business_minutes,
        first_deadlines.off_hours_calendar_minutes,
        assignees.backup_rep_id,
        assignees.manager_id,
        case
            when backups.rep_id is null then 'has no backup'
            when not backups.is_active then 'has an inactive backup (' || backups.rep_id || ')'
            when backup_time_off.rep_id is not null then 'has a backup on time off (' || backups.rep_id || ')'
        end as backup_unavailable_because
    from first_deadlines
    inner join reps as assignees
        on first_deadlines.assignee_rep_id = assignees.rep_id
    left join reps as backups
        on assignees.backup_rep_id = backups.rep_id
    left join time_off as backup_time_off
        on
            backups.rep_id = backup_time_off.rep_id
            and first_deadlines.window_ends_at >= backup_time_off.starts_at
            and first_deadlines.window_ends_at < backup_time_off.ends_at
    left join first_responses
        on first_deadlines.lead_id = first_responses.lead_id
    where
        first_deadlines.window_ends_at <= {{ as_of() }}
        and (
            first_responses.first_responded_at is null
            or first_responses.first_responded_at > first_deadlines.window_ends_at
        )

),

second_windows as (

    select
        first_escalations.lead_id,
        first_escalations.backup_rep_id as assignee_rep_id,
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
        'second_windows', 'assignee_rep_id', 'window_started_at', 'in_hours_business_minutes',
        'off_hours_calendar_minutes', 'window_ends_at', 'is_window_started_in_working_time'
    ) }}

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
        second_deadlines.lead_id,
        second_deadlines.manager_id as rep_id,
        second_deadlines.assignee_rep_id as previous_rep_id,
        second_deadlines.window_ends_at as assigned_at,
        'escalation_manager' as assignment_type,
        2 as escalation_level,
        'Still not acknowledged within ' || {{ escalation_window_text('second_deadlines') }}
        || ' of escalation to backup ' || second_deadlines.assignee_rep_id
        || ': escalated to manager ' || second_deadlines.manager_id
        || ' of ' || second_deadlines.first_rep_id || '.' as routing_reason
    from second_deadlines
    left join first_responses
        on second_deadlines.lead_id = first_responses.lead_id
    where
        second_deadlines.window_ends_at <= {{ as_of() }}
        and (
            first_responses.first_responded_at is null
            or first_responses.first_responded_at > second_deadlines.window_ends_at
        )

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
