-- One row per clean marketing event of a known type that happened at or before as_of, for a
-- lead that exists as of as_of: the raw points the event earns in each dimension (before
-- decay), and the change its form answers make to the points of the latest answers. Events of
-- types missing from the seed `event_types` score nothing and are left out. An event before
-- the lead's created_at is scored at created_at (scoring_moment_at).
-- Incremental per lead (macros/handoff/lead_increment.sql): a run scores again every event of
-- the leads whose events, CRM row or creation changed since the last build.
{{ lead_incremental_config() }}
{%- set increment = lead_increment() %}

with

{{ touched_leads_cte(increment) }}

events as (

    select * from {{ ref('stg_marketing__events') }}
    {{ scoring_leads_filter(increment) }}

),

leads as (

    select * from {{ ref('stg_crm__leads') }}
    {{ scoring_leads_filter(increment) }}

),

event_types as (

    select * from {{ ref('event_types') }}

),

scoring_event_points as (

    select * from {{ ref('scoring_event_points') }}

),

scoring_form_answer_points as (

    select * from {{ ref('scoring_form_answer_points') }}

),

event_type_points as (

    -- the event rules pivoted to one row per event type (the four dimensions are the contract's)
    select
        event_type,
        sum(case when dimension = 'budget_authority' then points else 0 end) as budget_authority_points,
        sum(case when dimension = 'need' then points else 0 end) as need_points,
        sum(case when dimension = 'timeline' then points else 0 end) as timeline_points,
        sum(case when dimension = 'fit' then points else 0 end) as fit_points
    from scoring_event_points
    group by event_type

),

answer_points as (

    select
        form_field,
        answer,
        sum(case when dimension = 'budget_authority' then points else 0 end) as budget_authority_points,
        sum(case when dimension = 'need' then points else 0 end) as need_points,
        sum(case when dimension = 'timeline' then points else 0 end) as timeline_points,
        sum(case when dimension = 'fit' then points else 0 end) as fit_points
    from scoring_form_answer_points
    group by form_field, answer

),

known_events as (

    select
        events.event_id,
        events.lead_id,
        events.occurred_at,
        leads.created_at as lead_created_at,
        events.event_type,
        event_types.is_explicit_intent,
        event_types.is_high_value_engagement,
        events.form_timeline,
        events.form_budget_status,
        greatest(events.occurred_at, leads.created_at) as scoring_moment_at
    from events
    inner join leads
        on events.lead_id = leads.lead_id
    inner join event_types
        on events.event_type = event_types.event_type
    where
        events.occurred_at <= {{ as_of() }}
        and leads.created_at <= {{ as_of() }}

),

answers as (

    -- one row per form answer given; an answer with no rule scores 0
    select
        known_events.lead_id,
        known_events.event_id,
        known_events.scoring_moment_at,
        'form_timeline' as form_field,
        known_events.form_timeline as answer
    from known_events
    where known_events.form_timeline is not null
    union all
    select
        known_events.lead_id,
        known_events.event_id,
        known_events.scoring_moment_at,
        'form_budget_status' as form_field,
        known_events.form_budget_status as answer
    from known_events
    where known_events.form_budget_status is not null

),

answers_scored as (

    select
        answers.lead_id,
        answers.event_id,
        answers.scoring_moment_at,
        answers.form_field,
        coalesce(answer_points.budget_authority_points, 0) as budget_authority_points,
        coalesce(answer_points.need_points, 0) as need_points,
        coalesce(answer_points.timeline_points, 0) as timeline_points,
        coalesce(answer_points.fit_points, 0) as fit_points
    from answers
    left join answer_points
        on
            answers.form_field = answer_points.form_field
            and answers.answer = answer_points.answer

),

answer_changes as (

    -- only the latest answer to a field counts: each answer replaces the previous one's points
    select
        lead_id,
        event_id,
        budget_authority_points - coalesce(lag(budget_authority_points) over (
            partition by lead_id, form_field order by scoring_moment_at, event_id
        ), 0) as budget_authority_points_change,
        need_points - coalesce(lag(need_points) over (
            partition by lead_id, form_field order by scoring_moment_at, event_id
        ), 0) as need_points_change,
        timeline_points - coalesce(lag(timeline_points) over (
            partition by lead_id, form_field order by scoring_moment_at, event_id
        ), 0) as timeline_points_change,
        fit_points - coalesce(lag(fit_points) over (
            partition by lead_id, form_field order by scoring_moment_at, event_id
        ), 0) as fit_points_change
    from answers_scored

),

event_answer_changes as (

    select
        event_id,
        sum(budget_authority_points_change) as budget_authority_points_change,
        sum(need_points_change) as need_points_change,
        sum(timeline_points_change) as timeline_points_change,
        sum(fit_points_change) as fit_points_change
    from answer_changes
    group by event_id

),

final as (

    select
        known_events.event_id,
        known_events.lead_id,
        known_events.occurred_at,
        known_events.scoring_moment_at,
        known_events.lead_created_at,
        known_events.event_type,
        known_events.is_explicit_intent,
        known_events.is_high_value_engagement,
        known_events.form_timeline,
        known_events.form_budget_status,
        coalesce(event_type_points.budget_authority_points, 0) as budget_authority_event_points,
        coalesce(event_type_points.need_points, 0) as need_event_points,
        coalesce(event_type_points.timeline_points, 0) as timeline_event_points,
        coalesce(event_type_points.fit_points, 0) as fit_event_points,
        coalesce(event_answer_changes.budget_authority_points_change, 0) as budget_authority_answer_points_change,
        coalesce(event_answer_changes.need_points_change, 0) as need_answer_points_change,
        coalesce(event_answer_changes.timeline_points_change, 0) as timeline_answer_points_change,
        coalesce(event_answer_changes.fit_points_change, 0) as fit_answer_points_change,
        {{ lead_build_columns() }}
    from known_events
    left join event_type_points
        on known_events.event_type = event_type_points.event_type
    left join event_answer_changes
        on known_events.event_id = event_answer_changes.event_id

)

select * from final
