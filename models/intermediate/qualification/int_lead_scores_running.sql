-- Long because the running score is one windowed pass over every scoring moment of every lead
-- (the largest relation of the project): splitting the moments into a model of their own would
-- write and read them twice. The steps are named CTEs; the dimensions are written once (loops).
-- The running score: one row per lead x scoring moment (the lead's creation and every later
-- attribute version, every scored event, and a final row at as_of), with each dimension's raw
-- points and score and the total as of that moment. One pass: every window shares the same
-- partition and order. The four dimensions are the contract's (macro scoring_dimensions):
-- every per-dimension column is written once, in a loop.
--   raw points = attribute points of the version in effect + points of the latest form answers
--                (one cumulative sum of the changes versions and answers make: they do not decay)
--              + behavioural points (events, bursts), each halving every half_life_days:
--                sum(p_j * 2^(t_j / H)) over the running window, divided by 2^(t_k / H),
--                t in days since the lead was created (no decay when H is null)
--   dimension score = weight * least(greatest(raw points, 0), max_points) / max_points
-- At one instant, an attribute version comes before the events (an enrichment delivered at
-- or before an event counts for it) and the as_of row comes last.
-- A moment meets the MQL rule (seed lifecycle_thresholds) when the total reaches the threshold
-- and the fit and engagement scores reach their minimums (engagement = the dimensions marked
-- is_engagement in scoring_dimensions).
with

attribute_points as (

    select * from {{ ref('int_lead_attribute_points_scored') }}

),

events_scored as (

    select * from {{ ref('int_lead_events_scored') }}

),

bursts as (

    select * from {{ ref('int_lead_event_bursts_detected') }}
    where rule_kind = 'activity_burst'

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

    -- always one row; a null total (nobody qualifies by score) if the mql row is missing; a
    -- null fit or engagement minimum is no minimum
    select
        max(min_total_score) as min_total_score,
        max(min_fit_score) as min_fit_score,
        max(min_engagement_score) as min_engagement_score
    from lifecycle_thresholds
    where stage = 'mql'

),

dimension_parameters as (

    -- the dimension rules pivoted to one row
    select
        {{ pivot_dimensions('dimension', 'weight', 'weight') }},
        {{ pivot_dimensions('dimension', 'max_points', 'max_points') }},
        {{ pivot_dimensions('dimension', 'half_life_days', 'half_life_days') }},
        {{ dimension_columns(
            "max(case when dimension = '{d}' and is_engagement then 1 else 0 end) = 1 as {d}_is_engagement"
        ) }}
    from scoring_dimensions

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

as_of_moments as (

    select
        lead_id,
        {{ as_of() }} as moment_at,
        lead_created_at,
        'as_of' as moment_kind,
        2 as moment_order,
        0 as version_number,
        cast(null as {{ dbt.type_string() }}) as event_id,
        cast(null as {{ dbt.type_string() }}) as event_type,
        false as is_explicit_intent,
        {{ dimension_columns('0 as {d}_steady_change') }},
        {{ dimension_columns('0 as {d}_behaviour_points') }}
    from attribute_points
    where version_number = 0

),

moments as (

    select
        *,
        ({{ epoch_seconds('moment_at') }} - {{ epoch_seconds('lead_created_at') }}) / 86400.0 as lead_age_days
    from (
        select * from attribute_moments
        union all
        select * from event_moments
        union all
        select * from as_of_moments
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
        moment_kind,
        moment_order,
        version_number,
        event_id,
        event_type,
        is_explicit_intent,
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

    -- dimension score = weight x least(greatest(raw points, 0), max_points) / max_points
    select
        *,
        {{ dimension_columns(
            '{d}_weight * least(greatest({d}_raw_points, 0), {d}_max_points) / {d}_max_points as {d}_score'
        ) }}
    from running

),

engaged as (

    select
        *,
        {{ dimension_sum('{d}_score') }} as total_score,
        {{ dimension_sum('case when {d}_is_engagement then {d}_score else 0 end') }} as engagement_score
    from scored

),

final as (

    select
        engaged.lead_id,
        engaged.moment_at,
        engaged.moment_kind,
        engaged.moment_order,
        engaged.attribute_version_number,
        engaged.event_id,
        engaged.event_type,
        engaged.is_explicit_intent,
        {{ dimension_columns('engaged.{d}_raw_points') }},
        {{ dimension_columns('engaged.{d}_score') }},
        engaged.engagement_score,
        mql_threshold.min_total_score as mql_threshold,
        engaged.total_score,
        coalesce(engaged.fit_score >= mql_threshold.min_fit_score, true) as is_fit_minimum_met,
        coalesce(
            engaged.total_score >= mql_threshold.min_total_score
            and coalesce(engaged.fit_score >= mql_threshold.min_fit_score, true)
            and coalesce(engaged.engagement_score >= mql_threshold.min_engagement_score, true),
            false
        ) as is_mql_threshold_met
    from engaged
    cross join mql_threshold

)

select * from final
