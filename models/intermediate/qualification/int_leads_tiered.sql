-- One row per lead that exists as of as_of: when it qualified for sales by each path of
-- `priority_tiers`, its lifecycle stage and its priority tier. Every moment is historical
-- (at or before as_of) and comes from the running score, never from the time of the run:
--   explicit_intent        the first explicit-intent event (also sql_at)
--   high_value_engagement  the first moment, at or after the strong-engagement rule first held,
--                          at which the lead also meets the fit minimum (lifecycle_thresholds)
--   score_threshold        the first moment (event or attribute version) the total score
--                          reached the MQL threshold
-- mql_at = the first moment of any path; priority_tier = the best tier reached; handoff_at =
-- the moment that tier's rule first held. Disqualified leads have no stage, tier or handoff.
with

score_moments as (

    select * from {{ ref('int_lead_score_moments') }}

),

engagement as (

    select * from {{ ref('int_lead_event_bursts_detected') }}
    where rule_kind = 'high_value_engagement'

),

priority_tiers as (

    select * from {{ ref('priority_tiers') }}

),

disqualified as (

    select * from {{ ref('int_leads_disqualified') }}

),

intent_moments as (

    select
        lead_id,
        moment_at,
        event_id,
        row_number() over (partition by lead_id order by moment_at, moment_order, event_id) as moment_rank
    from score_moments
    where is_explicit_intent

),

engagement_moments as (

    -- strong engagement counts from a company that fits: the first scoring moment at or after
    -- the rule held at which the fit minimum is met (often the same event)
    select
        engagement.lead_id,
        score_moments.moment_at,
        score_moments.event_id,
        row_number() over (
            partition by engagement.lead_id
            order by
                score_moments.moment_at,
                -- at the rule's own instant, its event names the handoff
                case when score_moments.event_id = engagement.event_id then 0 else 1 end,
                score_moments.moment_order,
                score_moments.attribute_version_number,
                score_moments.event_id
        ) as moment_rank
    from engagement
    inner join score_moments
        on
            engagement.lead_id = score_moments.lead_id
            and engagement.held_at <= score_moments.moment_at
    where score_moments.is_fit_minimum_met

),

threshold_moments as (

    select
        lead_id,
        moment_at,
        event_id,
        row_number() over (
            partition by lead_id order by moment_at, moment_order, attribute_version_number, event_id
        ) as moment_rank
    from score_moments
    where is_mql_threshold_met

),

paths as (

    select
        lead_id,
        'explicit_intent' as rule_kind,
        moment_at as qualified_at,
        event_id
    from intent_moments
    where moment_rank = 1
    union all
    select
        lead_id,
        'high_value_engagement' as rule_kind,
        moment_at as qualified_at,
        event_id
    from engagement_moments
    where moment_rank = 1
    union all
    select
        lead_id,
        'score_threshold' as rule_kind,
        moment_at as qualified_at,
        event_id
    from threshold_moments
    where moment_rank = 1

),

tiered_paths as (

    select
        paths.lead_id,
        paths.rule_kind,
        paths.qualified_at,
        paths.event_id,
        priority_tiers.priority_tier,
        priority_tiers.tier_name,
        row_number() over (
            partition by paths.lead_id
            order by priority_tiers.priority_tier, paths.qualified_at
        ) as tier_rank,
        row_number() over (
            partition by paths.lead_id
            order by paths.qualified_at, priority_tiers.priority_tier
        ) as time_rank
    from paths
    inner join priority_tiers
        on paths.rule_kind = priority_tiers.rule_kind

),

path_times as (

    select
        lead_id,
        max(case when rule_kind = 'explicit_intent' then qualified_at end) as first_intent_at,
        max(case when rule_kind = 'explicit_intent' then event_id end) as first_intent_event_id,
        max(case when rule_kind = 'high_value_engagement' then qualified_at end) as engagement_rule_met_at,
        max(case when rule_kind = 'score_threshold' then qualified_at end) as score_threshold_met_at
    from tiered_paths
    group by lead_id

),

best_tier as (

    select * from tiered_paths
    where tier_rank = 1

),

first_qualified as (

    select * from tiered_paths
    where time_rank = 1

),

final as (

    select
        disqualified.lead_id,
        disqualified.is_disqualified,
        path_times.first_intent_at,
        path_times.engagement_rule_met_at,
        path_times.score_threshold_met_at,
        case
            when disqualified.is_disqualified then 'unqualified'
            when path_times.first_intent_at is not null then 'sql'
            when first_qualified.qualified_at is not null then 'mql'
            else 'unqualified'
        end as qualification_stage,
        case when not disqualified.is_disqualified then first_qualified.qualified_at end as mql_at,
        case when not disqualified.is_disqualified then first_qualified.rule_kind end as mql_rule_kind,
        case when not disqualified.is_disqualified then first_qualified.event_id end as mql_event_id,
        case when not disqualified.is_disqualified then path_times.first_intent_at end as sql_at,
        case when not disqualified.is_disqualified then path_times.first_intent_event_id end as sql_event_id,
        case when not disqualified.is_disqualified then best_tier.priority_tier end as priority_tier,
        case when not disqualified.is_disqualified then best_tier.tier_name end as priority_tier_name,
        case when not disqualified.is_disqualified then best_tier.rule_kind end as handoff_rule_kind,
        case when not disqualified.is_disqualified then best_tier.qualified_at end as handoff_at,
        case when not disqualified.is_disqualified then best_tier.event_id end as handoff_event_id
    from disqualified
    left join path_times
        on disqualified.lead_id = path_times.lead_id
    left join best_tier
        on disqualified.lead_id = best_tier.lead_id
    left join first_qualified
        on disqualified.lead_id = first_qualified.lead_id

)

select * from final
