-- The scoring moments: one row per lead x moment (the lead's creation and every later attribute
-- version, every scored event) with each dimension's raw points and score and the total at that
-- moment. One pass: every window shares the same partition and order. The four dimensions are
-- the contract's (macro scoring_dimensions): every per-dimension column is written once, in a loop.
--   raw points = attribute points of the version in effect + points of the latest form answers
--                (one cumulative sum of the changes versions and answers make: they do not decay)
--              + behavioural points (events, bursts), each halving every half_life_days:
--                sum(p_j * 2^(t_j / H)) over the running window, divided by 2^(t_k / H),
--                t in days since the lead was created (no decay when H is null)
--   dimension score = weight * least(greatest(raw points, 0), max_points) / max_points
-- At one instant, an attribute version comes before the events (an enrichment delivered at
-- or before an event counts for it). A moment meets the MQL rule (seed lifecycle_thresholds)
-- when the total reaches the threshold and the fit and engagement scores reach their minimums
-- (engagement = the dimensions marked is_engagement in scoring_dimensions).
-- Every row keeps the two terms it adds ({d}_steady_change, {d}_grown_points = p * 2^(t / H)):
-- their sums per lead give the score at as_of (int_lead_scores_current) without this window.
-- No value here depends on as_of, so the model is incremental per lead
-- (macros/handoff/lead_increment.sql): a run rebuilds the leads whose inputs changed.
{{ lead_incremental_config() }}
{%- set increment = lead_increment() %}

with

{{ touched_leads_cte(increment) }}

attribute_points as (

    select * from {{ ref('int_lead_attribute_points_scored') }}
    {{ scoring_leads_filter(increment) }}

),

events_scored as (

    select * from {{ ref('int_lead_events_scored') }}
    {{ scoring_leads_filter(increment) }}

),

bursts as (

    select * from {{ ref('int_lead_event_bursts_detected') }}
    {{ scoring_leads_filter(increment) }}

),

scoring_activity_bursts as (

    select * from {{ ref('scoring_activity_bursts') }}

),

scoring_dimensions as (

    select * from {{ ref('scoring_dimensions') }}

),

lifecycle_thresholds as (

    select * from {{ ref('lifecycle_thresholds') }}

),

mql_threshold as (

    {{ mql_threshold_row() }}

),

dimension_parameters as (

    {{ dimension_parameters_row() }}

),

burst_points as (

    select
        bursts.event_id,
        {{ pivot_dimensions(
            'scoring_activity_bursts.dimension', 'scoring_activity_bursts.points', 'points', 'sum', '0'
        ) }}
    from bursts
    inner join scoring_activity_bursts
        on bursts.rule_id = scoring_activity_bursts.rule_id
    where bursts.rule_kind = 'activity_burst'
    group by bursts.event_id

),

attribute_moments as (

    select
        lead_id,
        valid_from_at as moment_at,
        lead_created_at,
        'attributes' as moment_kind,
        0 as moment_order,
        version_number,
        cast(null as {{ dbt.type_string() }}) as event_id,
        cast(null as {{ dbt.type_string() }}) as event_type,
        false as is_explicit_intent,
        {{ dimension_columns('{d}_points_change as {d}_steady_change') }},
        {{ dimension_columns('0 as {d}_behaviour_points') }}
    from attribute_points

),

event_moments as (

    select
        events_scored.lead_id,
        events_scored.scoring_moment_at as moment_at,
        events_scored.lead_created_at,
        'event' as moment_kind,
        1 as moment_order,
        0 as version_number,
        events_scored.event_id,
        events_scored.event_type,
        events_scored.is_explicit_intent,
        {{ dimension_columns('events_scored.{d}_answer_points_change as {d}_steady_change') }},
        {{ dimension_columns(
            'events_scored.{d}_event_points + coalesce(burst_points.{d}_points, 0) as {d}_behaviour_points'
        ) }}
    from events_scored
    left join burst_points
        on events_scored.event_id = burst_points.event_id

),

moments as (

    select
        *,
        ({{ epoch_seconds('moment_at') }} - {{ epoch_seconds('lead_created_at') }}) / 86400.0 as lead_age_days
    from (
        select * from attribute_moments
        union all
        select * from event_moments
    ) as unioned_moments

),

grown as (

    -- growth factor 2^(t / H) per dimension, t in days since the lead was created
    select
        moments.*,
        dimension_parameters.*,
        {{ dimension_columns(
            growth_factor('moments.lead_age_days', 'dimension_parameters.{d}_half_life_days') ~ ' as {d}_growth'
        ) }}
    from moments
    cross join dimension_parameters

),

running as (

    select
        lead_id,
        moment_at,
        lead_created_at,
        moment_kind,
        moment_order,
        version_number,
        event_id,
        event_type,
        is_explicit_intent,
        {{ dimension_columns('{d}_steady_change') }},
        {{ dimension_columns('{d}_behaviour_points * {d}_growth as {d}_grown_points') }},
        {{ dimension_columns('{d}_weight') }},
        {{ dimension_columns('{d}_max_points') }},
        {{ dimension_columns('{d}_is_engagement') }},
        max(case when moment_kind = 'attributes' then version_number end) over moment_window
            as attribute_version_number,
        {{ dimension_columns(
            'sum({d}_steady_change) over moment_window'
            ~ ' + sum({d}_behaviour_points * {d}_growth) over moment_window / {d}_growth as {d}_raw_points'
        ) }}
    from grown
    window moment_window as (
        partition by lead_id
        order by moment_at, moment_order, version_number, event_id
        rows between unbounded preceding and current row
    )

),

scored as (

    select
        *,
        {{ dimension_score_columns() }}
    from running

),

engaged as (

    select
        *,
        {{ total_score_columns() }}
    from scored

),

final as (

    select
        engaged.lead_id,
        engaged.moment_at,
        engaged.lead_created_at,
        engaged.moment_kind,
        engaged.moment_order,
        engaged.attribute_version_number,
        engaged.event_id,
        engaged.event_type,
        engaged.is_explicit_intent,
        {{ dimension_columns('engaged.{d}_raw_points') }},
        {{ dimension_columns('engaged.{d}_score') }},
        engaged.engagement_score,
        {{ mql_rule_columns('engaged', 'mql_threshold') }},
        {{ dimension_columns('engaged.{d}_steady_change') }},
        {{ dimension_columns('engaged.{d}_grown_points') }},
        {{ lead_build_columns() }}
    from engaged
    cross join mql_threshold

)

select * from final
