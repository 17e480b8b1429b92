-- One row per lead x window rule, at the first scored event where the rule held: the
-- activity bursts of `scoring_activity_bursts` (at least min_events scored events within
-- window_minutes) and the Tier 2 strong-engagement rule of `priority_tiers` (at least
-- min_high_value_events high-value events within window_days). Each rule's window length is
-- data: event times are divided by it, so one numeric range window of width 1 counts the
-- events of any rule (both window ends included, up to floating-point rounding).
-- Incremental per lead (macros/handoff/lead_increment.sql), like the scored events it reads.
{{ lead_incremental_config() }}
{%- set increment = lead_increment() %}

with

{{ touched_leads_cte(increment) }}

events_scored as (

    select * from {{ ref('int_lead_events_scored') }}
    {{ scoring_leads_filter(increment) }}

),

scoring_activity_bursts as (

    select * from {{ ref('scoring_activity_bursts') }}

),

priority_tiers as (

    select * from {{ ref('priority_tiers') }}

),

window_rules as (

    select
        'activity_burst' as rule_kind,
        rule_id,
        min_events,
        window_minutes * 60.0 as window_seconds,
        false as is_high_value_only
    from scoring_activity_bursts
    union all
    select
        'high_value_engagement' as rule_kind,
        'tier_' || cast(priority_tier as {{ dbt.type_string() }}) as rule_id,
        min_high_value_events as min_events,
        window_days * 86400.0 as window_seconds,
        true as is_high_value_only
    from priority_tiers
    where rule_kind = 'high_value_engagement'

),

rule_events as (

    select
        window_rules.rule_kind,
        window_rules.rule_id,
        window_rules.min_events,
        events_scored.lead_id,
        events_scored.event_id,
        events_scored.scoring_moment_at,
        -- seconds since the lead was created, in units of the rule's window
        (
            {{ epoch_seconds('events_scored.occurred_at') }}
            - {{ epoch_seconds('events_scored.lead_created_at') }}
        ) / window_rules.window_seconds as occurred_in_windows
    from events_scored
    inner join window_rules
        on events_scored.is_high_value_engagement or not window_rules.is_high_value_only

),

counted as (

    select
        *,
        count(*) over (
            partition by lead_id, rule_kind, rule_id
            order by occurred_in_windows
            range between 1 preceding and current row
        ) as events_in_window
    from rule_events

),

held as (

    select
        *,
        row_number() over (
            partition by lead_id, rule_kind, rule_id
            order by scoring_moment_at, event_id
        ) as held_rank
    from counted
    where events_in_window >= min_events

),

final as (

    select
        lead_id,
        rule_kind,
        rule_id,
        event_id,
        scoring_moment_at as held_at,
        events_in_window,
        {{ lead_build_columns() }}
    from held
    where held_rank = 1

)

select * from final
