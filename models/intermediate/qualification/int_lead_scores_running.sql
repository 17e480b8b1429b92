-- The running score: one row per lead x scoring moment (the lead's creation and every later
-- attribute version, every scored event, and a final row at as_of), with each dimension's raw
-- points and score and the total as of that moment. One pass: every window shares the same
-- partition and order.
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

    -- the dimension rules pivoted to one row (the four dimensions are the contract's)
    select
        max(case when dimension = 'budget_authority' then weight end) as budget_authority_weight,
        max(case when dimension = 'budget_authority' then max_points end) as budget_authority_max_points,
        max(case when dimension = 'budget_authority' then half_life_days end) as budget_authority_half_life_days,
        max(case when dimension = 'budget_authority' and is_engagement then 1 else 0 end) = 1
            as budget_authority_is_engagement,
        max(case when dimension = 'need' then weight end) as need_weight,
        max(case when dimension = 'need' then max_points end) as need_max_points,
        max(case when dimension = 'need' then half_life_days end) as need_half_life_days,
        max(case when dimension = 'need' and is_engagement then 1 else 0 end) = 1
            as need_is_engagement,
        max(case when dimension = 'timeline' then weight end) as timeline_weight,
        max(case when dimension = 'timeline' then max_points end) as timeline_max_points,
        max(case when dimension = 'timeline' then half_life_days end) as timeline_half_life_days,
        max(case when dimension = 'timeline' and is_engagement then 1 else 0 end) = 1
            as timeline_is_engagement,
        max(case when dimension = 'fit' then weight end) as fit_weight,
        max(case when dimension = 'fit' then max_points end) as fit_max_points,
        max(case when dimension = 'fit' then half_life_days end) as fit_half_life_days,
        max(case when dimension = 'fit' and is_engagement then 1 else 0 end) = 1
            as fit_is_engagement
    from scoring_dimensions

),

burst_points as (

    select
        bursts.event_id,
        sum(
            case
                when scoring_activity_bursts.dimension = 'budget_authority' then scoring_activity_bursts.points
                else 0
            end
        ) as budget_authority_points,
        sum(
            case
                when scoring_activity_bursts.dimension = 'need' then scoring_activity_bursts.points
                else 0
            end
        ) as need_points,
        sum(
            case
                when scoring_activity_bursts.dimension = 'timeline' then scoring_activity_bursts.points
                else 0
            end
        ) as timeline_points,
        sum(
            case
                when scoring_activity_bursts.dimension = 'fit' then scoring_activity_bursts.points
                else 0
            end
        ) as fit_points
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
        budget_authority_points_change as budget_authority_steady_change,
        need_points_change as need_steady_change,
        timeline_points_change as timeline_steady_change,
        fit_points_change as fit_steady_change,
        0 as budget_authority_behaviour_points,
        0 as need_behaviour_points,
        0 as timeline_behaviour_points,
        0 as fit_behaviour_points
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
        events_scored.budget_authority_answer_points_change as budget_authority_steady_change,
        events_scored.need_answer_points_change as need_steady_change,
        events_scored.timeline_answer_points_change as timeline_steady_change,
        events_scored.fit_answer_points_change as fit_steady_change,
        events_scored.budget_authority_event_points + coalesce(burst_points.budget_authority_points, 0)
            as budget_authority_behaviour_points,
        events_scored.need_event_points + coalesce(burst_points.need_points, 0) as need_behaviour_points,
        events_scored.timeline_event_points + coalesce(burst_points.timeline_points, 0)
            as timeline_behaviour_points,
        events_scored.fit_event_points + coalesce(burst_points.fit_points, 0) as fit_behaviour_points
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
        0 as budget_authority_steady_change,
        0 as need_steady_change,
        0 as timeline_steady_change,
        0 as fit_steady_change,
        0 as budget_authority_behaviour_points,
        0 as need_behaviour_points,
        0 as timeline_behaviour_points,
        0 as fit_behaviour_points
    from attribute_points
    where version_number = 0

),

moments as (

    select * from attribute_moments
    union all
    select * from event_moments
    union all
    select * from as_of_moments

),

timed as (

    -- growth factor 2^(t / H) per dimension, t in days since the lead was created
    select
        moments.*,
        dimension_parameters.*,
        (
            {{ epoch_seconds('moments.moment_at') }} - {{ epoch_seconds('moments.lead_created_at') }}
        ) / 86400.0 as lead_age_days
    from moments
    cross join dimension_parameters

),

grown as (

    select
        *,
        case
            when budget_authority_half_life_days is null then 1.0
            else power(2.0, lead_age_days / budget_authority_half_life_days)
        end as budget_authority_growth,
        case
            when need_half_life_days is null then 1.0
            else power(2.0, lead_age_days / need_half_life_days)
        end as need_growth,
        case
            when timeline_half_life_days is null then 1.0
            else power(2.0, lead_age_days / timeline_half_life_days)
        end as timeline_growth,
        case
            when fit_half_life_days is null then 1.0
            else power(2.0, lead_age_days / fit_half_life_days)
        end as fit_growth
    from timed

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
        budget_authority_weight,
        budget_authority_max_points,
        need_weight,
        need_max_points,
        timeline_weight,
        timeline_max_points,
        fit_weight,
        fit_max_points,
        budget_authority_is_engagement,
        need_is_engagement,
        timeline_is_engagement,
        fit_is_engagement,
        max(case when moment_kind = 'attributes' then version_number end) over moment_window
            as attribute_version_number,
        sum(budget_authority_steady_change) over moment_window
        + sum(budget_authority_behaviour_points * budget_authority_growth) over moment_window
        / budget_authority_growth as budget_authority_raw_points,
        sum(need_steady_change) over moment_window
        + sum(need_behaviour_points * need_growth) over moment_window / need_growth as need_raw_points,
        sum(timeline_steady_change) over moment_window
        + sum(timeline_behaviour_points * timeline_growth) over moment_window
        / timeline_growth as timeline_raw_points,
        sum(fit_steady_change) over moment_window
        + sum(fit_behaviour_points * fit_growth) over moment_window / fit_growth as fit_raw_points
    from grown
    window moment_window as (
        partition by lead_id
        order by moment_at, moment_order, version_number, event_id
        rows between unbounded preceding and current row
    )

),

scored as (

    select
        lead_id,
        moment_at,
        moment_kind,
        moment_order,
        attribute_version_number,
        event_id,
        event_type,
        is_explicit_intent,
        budget_authority_raw_points,
        need_raw_points,
        timeline_raw_points,
        fit_raw_points,
        budget_authority_is_engagement,
        need_is_engagement,
        timeline_is_engagement,
        fit_is_engagement,
        budget_authority_weight * least(greatest(budget_authority_raw_points, 0), budget_authority_max_points)
        / budget_authority_max_points as budget_authority_score,
        need_weight * least(greatest(need_raw_points, 0), need_max_points) / need_max_points as need_score,
        timeline_weight * least(greatest(timeline_raw_points, 0), timeline_max_points)
        / timeline_max_points as timeline_score,
        fit_weight * least(greatest(fit_raw_points, 0), fit_max_points) / fit_max_points as fit_score
    from running

),

engaged as (

    select
        *,
        budget_authority_score + need_score + timeline_score + fit_score as total_score,
        case when budget_authority_is_engagement then budget_authority_score else 0 end
        + case when need_is_engagement then need_score else 0 end
        + case when timeline_is_engagement then timeline_score else 0 end
        + case when fit_is_engagement then fit_score else 0 end as engagement_score
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
        engaged.budget_authority_raw_points,
        engaged.need_raw_points,
        engaged.timeline_raw_points,
        engaged.fit_raw_points,
        engaged.budget_authority_score,
        engaged.need_score,
        engaged.timeline_score,
        engaged.fit_score,
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
