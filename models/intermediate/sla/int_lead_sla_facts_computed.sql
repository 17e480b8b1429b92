{#- The first-touch SLA facts of every handed-off lead (contract sections 2 to 4), in one
    set-based pass over int_leads_handed_off. The SLA rep is the rep of the initial assignment;
    the deadline applies the tier's policy on that rep's calendar (macros/business_time/, no
    per-lead or per-minute rows). A lead nobody owns (or whose rep has no usable calendar) is
    due on the default calendar (var default_calendar), as team `unassigned`. Only what happened
    by as_of counts. Speed-to-lead splits creation -> first touch into the pipeline's delays and
    the rep's; the routing ledger's first run is a backfill, flagged and left out of latency.
    Nothing here depends on as_of beyond what happened by then: the status is judged at as_of
    by int_leads_sla_evaluated. Incremental per lead (macros/handoff/sla_increment.sql): a run
    computes again only the leads whose handoff, assignment, activities or acknowledgements
    changed, and every lead when a calendar did. Long because the deadline, first touch,
    acknowledgement and speed-to-lead minutes share one pass over the same handoffs. -#}
{{ lead_incremental_config('sla') }}
{%- set increment = lead_increment('sla') %}
{{- sla_increment_refs() }}
with

leads as (

    select * from {{ ref('int_leads_handed_off') }}

),

initial_assignments as (

    select * from {{ ref('int_assignments_routed') }}

),

calendar_reps as (

    select * from {{ ref('int_calendar_reps') }}

),

sla_policies as (

    select * from {{ ref('sla_policies') }}

),

valid_touches as (

    select * from {{ ref('int_sales_activities_classified') }}
    where is_valid_touch and occurred_at <= {{ as_of() }}

),

acknowledgements as (

    select * from {{ ref('stg_crm__lead_acknowledgements') }}
    where acknowledged_at <= {{ as_of() }}

),

calendar_stamp as (

    {{ sla_calendar_stamp() }}

),

ledger_start as (

    -- when the routing ledger's first run wrote it: assignments of that run are a backfill
    select min(recorded_at) as first_recorded_at
    from initial_assignments

),

current_handoffs as (

    select
        leads.lead_id,
        leads.created_at,
        leads.priority_tier,
        leads.handoff_at,
        leads.territory,
        initial_assignments.rep_id as sla_rep_id,
        -- a lead nobody owns, or whose rep has no usable calendar, is due on the default calendar
        coalesce(calendar_reps.rep_id, '{{ default_calendar_rep_id() }}') as sla_calendar_id,
        coalesce(initial_assignments.team, 'unassigned') as team,
        initial_assignments.assignment_type,
        initial_assignments.assigned_at,
        initial_assignments.recorded_at as assignment_recorded_at,
        coalesce(initial_assignments.recorded_at = ledger_start.first_recorded_at, false) as is_backfilled_assignment,
        sla_policies.in_hours_business_minutes,
        sla_policies.off_hours_calendar_minutes,
        initial_assignments.lead_id is not null as is_routed
    from leads
    cross join ledger_start
    left join initial_assignments
        on leads.lead_id = initial_assignments.lead_id
    left join calendar_reps
        on initial_assignments.rep_id = calendar_reps.rep_id
    left join sla_policies
        on leads.priority_tier = sla_policies.priority_tier

),
{%- if increment is not none %}

touched_leads as (

    {{ sla_touched_leads(increment, 'current_handoffs') }}

),
{%- endif %}

handoffs as (

    -- the leads computed by this run: all of them, or the touched ones of an incremental run
    select * from current_handoffs
    {%- if increment is not none %}
    where lead_id in (select touched_leads.lead_id from touched_leads)
    {%- endif %}

),

ranked_touches as (

    -- valid touches at or after handoff (one exactly at handoff counts), earliest first
    select
        handoffs.lead_id,
        valid_touches.activity_id,
        valid_touches.occurred_at,
        valid_touches.rep_id,
        row_number() over (
            partition by handoffs.lead_id
            order by valid_touches.occurred_at, valid_touches.activity_id
        ) as touch_rank
    from handoffs
    inner join valid_touches
        on
            handoffs.lead_id = valid_touches.lead_id
            and handoffs.handoff_at <= valid_touches.occurred_at

),

first_touches as (

    select * from ranked_touches
    where touch_rank = 1

),

first_acknowledgements as (

    -- by any rep, at or after the initial assignment
    select
        handoffs.lead_id,
        min(acknowledgements.acknowledged_at) as first_acknowledged_at
    from handoffs
    inner join acknowledgements
        on
            handoffs.lead_id = acknowledgements.lead_id
            and handoffs.assigned_at <= acknowledgements.acknowledged_at
    group by handoffs.lead_id

),

touched as (

    select
        handoffs.*,
        first_touches.occurred_at as first_valid_touch_at,
        first_touches.rep_id as first_touch_rep_id,
        first_touches.activity_id as first_touch_activity_id,
        first_acknowledgements.first_acknowledged_at
    from handoffs
    left join first_touches
        on handoffs.lead_id = first_touches.lead_id
    left join first_acknowledgements
        on handoffs.lead_id = first_acknowledgements.lead_id

),

deadlines as (

    {{ sla_deadline(
        'touched', 'sla_calendar_id', 'handoff_at',
        'in_hours_business_minutes', 'off_hours_calendar_minutes',
        'sla_due_at', 'is_handoff_in_business_hours'
    ) }}

),

responses as (

    {{ business_minutes_between(
        'deadlines', 'sla_calendar_id', 'handoff_at', 'first_valid_touch_at', 'response_business_minutes'
    ) }}

),

stamped as (

    -- every row names the calendars its deadline was computed on
    select
        responses.*,
        calendar_stamp.calendar_fingerprint
    from responses
    cross join calendar_stamp

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
        is_routed,
        sla_calendar_id,
        team,
        territory,
        assignment_type,
        -- the policy minutes the deadline applied, and on which clock (inside working time the
        -- off-hours window caps the business minutes)
        case
            when sla_due_at is null then null
            when off_hours_calendar_minutes is not null and not is_handoff_in_business_hours
                then off_hours_calendar_minutes
            when
                off_hours_calendar_minutes is not null
                and {{ is_calendar_capped('handoff_at', 'sla_due_at', 'off_hours_calendar_minutes') }}
                then off_hours_calendar_minutes
            else in_hours_business_minutes
        end as sla_policy_minutes,
        case
            when sla_due_at is null then null
            when off_hours_calendar_minutes is not null and not is_handoff_in_business_hours
                then 'calendar_minutes'
            when
                off_hours_calendar_minutes is not null
                and {{ is_calendar_capped('handoff_at', 'sla_due_at', 'off_hours_calendar_minutes') }}
                then 'calendar_minutes_cap'
            else 'business_minutes'
        end as sla_policy_clock,
        first_touch_activity_id,
        created_at,
        assigned_at,
        assignment_recorded_at,
        first_acknowledged_at,
        {{ minutes_between('created_at', 'handoff_at') }} as created_to_handoff_minutes,
        is_backfilled_assignment,
        case
            when not is_backfilled_assignment
                then {{ minutes_between('handoff_at', 'assignment_recorded_at') }}
        end as handoff_to_assignment_minutes,
        {{ minutes_between('assigned_at', 'first_acknowledged_at') }} as assignment_to_acknowledgement_minutes,
        case
            when first_valid_touch_at >= first_acknowledged_at
                then {{ minutes_between('first_acknowledged_at', 'first_valid_touch_at') }}
        end as acknowledgement_to_first_touch_minutes,
        {{ minutes_between('handoff_at', 'first_valid_touch_at') }} as handoff_to_first_touch_minutes,
        calendar_fingerprint,
        {{ lead_build_columns('sla') }}
    from stamped

)

select * from final
