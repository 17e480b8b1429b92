-- One row per lead x event type it scored: how often, first and last (with their events), and
-- per dimension the sum of 2^(t / H) over the events, t in days since the lead was created
-- (H the dimension's half-life, seed scoring_dimensions): divided by 2^(a / H) at the lead's
-- age a at as_of it is how many undecayed events the decayed ones are worth
-- (int_lead_score_rules_fired). No value here depends on as_of, so the model is incremental
-- per lead (macros/handoff/lead_increment.sql).
{{ lead_incremental_config() }}
{%- set increment = lead_increment() %}

with

{{ touched_leads_cte(increment) }}

events_scored as (

    select * from {{ ref('int_lead_events_scored') }}
    {{ scoring_leads_filter(increment) }}

),

scoring_dimensions as (

    select * from {{ ref('scoring_dimensions') }}

),

dimension_parameters as (

    {{ dimension_parameters_row() }}

),

event_ages as (

    select
        lead_id,
        event_id,
        event_type,
        scoring_moment_at,
        lead_created_at,
        ({{ epoch_seconds('scoring_moment_at') }} - {{ epoch_seconds('lead_created_at') }}) / 86400.0 as lead_age_days,
        first_value(event_id) over event_type_window as first_source_event_id,
        last_value(event_id) over event_type_window as last_source_event_id
    from events_scored
    window event_type_window as (
        partition by lead_id, event_type
        order by scoring_moment_at, event_id
        rows between unbounded preceding and unbounded following
    )

),

final as (

    -- one pass over the events, the dimensions side by side
    select
        event_ages.lead_id,
        event_ages.event_type,
        max(event_ages.lead_created_at) as lead_created_at,
        count(*) as times_fired,
        min(event_ages.scoring_moment_at) as first_fired_at,
        max(event_ages.scoring_moment_at) as last_fired_at,
        max(event_ages.first_source_event_id) as first_source_event_id,
        max(event_ages.last_source_event_id) as last_source_event_id,
        {{ dimension_columns(
            'sum(' ~ growth_factor('event_ages.lead_age_days', 'dimension_parameters.{d}_half_life_days')
            ~ ') as {d}_grown_count'
        ) }},
        {{ lead_build_columns() }}
    from event_ages
    cross join dimension_parameters
    group by event_ages.lead_id, event_ages.event_type

)

select * from final
