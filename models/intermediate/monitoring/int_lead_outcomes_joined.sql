{#- What became of every handed-off lead (one row per handed-off lead, int_leads_sla_evaluated), as of as_of: its
    response window (seed response_windows, by calendar minutes from handoff to the first valid
    touch), its first opportunity created at or after handoff, and its running score at handoff
    and at its peak. The conversion, calibration and review marts read it. -#}
with

handed_off as (

    select * from {{ ref('int_leads_sla_evaluated') }}

),

leads as (

    select * from {{ ref('int_leads_handed_off') }}

),

tiered as (

    select * from {{ ref('int_leads_tiered') }}

),

top_reasons as (

    select * from {{ ref('int_leads_top_reasons_listed') }}

),

running_scores as (

    select * from {{ ref('int_lead_scores_running') }}
    where moment_at <= {{ as_of() }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}
    where lead_id is not null and created_at <= {{ as_of() }}

),

response_windows as (

    select * from {{ ref('response_windows') }}

),

peak_scores as (

    select
        running_scores.lead_id,
        max(running_scores.total_score) as peak_total_score
    from running_scores
    inner join handed_off
        on running_scores.lead_id = handed_off.lead_id
    group by running_scores.lead_id

),

handoff_scores as (

    {{ running_score_at('handed_off', 'lead_id', 'handoff_at', 'total_score') }}

),

ranked_opportunities as (

    select
        opportunities.lead_id,
        opportunities.opportunity_id,
        opportunities.created_at,
        opportunities.amount_usd,
        row_number() over (
            partition by opportunities.lead_id
            order by opportunities.created_at, opportunities.opportunity_id
        ) as opportunity_rank
    from opportunities
    inner join handed_off
        on
            opportunities.lead_id = handed_off.lead_id
            and opportunities.created_at >= handed_off.handoff_at

),

first_opportunities as (

    select * from ranked_opportunities
    where opportunity_rank = 1

),

longest_bounded_window as (

    -- an untouched lead is `never` touched once it has waited longer than every bounded window
    select max(upper_minutes) as upper_minutes
    from response_windows
    where not is_untouched

),

waiting as (

    select
        handed_off.*,
        {{ minutes_between('handed_off.handoff_at', as_of()) }} as minutes_since_handoff,
        longest_bounded_window.upper_minutes as longest_bounded_window_minutes
    from handed_off
    cross join longest_bounded_window

),

windowed as (

    select
        waiting.lead_id,
        response_windows.response_window,
        response_windows.window_order,
        response_windows.speed_group
    from waiting
    inner join response_windows
        on
            (
                not response_windows.is_untouched
                and waiting.first_valid_touch_at is not null
                and (
                    response_windows.lower_minutes is null
                    or waiting.handoff_to_first_touch_minutes > response_windows.lower_minutes
                )
                and (
                    response_windows.upper_minutes is null
                    or waiting.handoff_to_first_touch_minutes <= response_windows.upper_minutes
                )
            )
            or (
                response_windows.is_untouched
                and waiting.first_valid_touch_at is null
                and waiting.minutes_since_handoff > waiting.longest_bounded_window_minutes
            )

),

final as (

    select
        waiting.lead_id,
        waiting.priority_tier,
        waiting.team,
        waiting.territory,
        waiting.sla_rep_id,
        waiting.is_routed,
        leads.created_at,
        waiting.handoff_at,
        waiting.sla_due_at,
        waiting.sla_status,
        waiting.sla_policy_minutes,
        waiting.sla_policy_clock,
        waiting.first_valid_touch_at,
        waiting.response_business_minutes,
        waiting.handoff_to_first_touch_minutes,
        waiting.minutes_since_handoff,
        windowed.response_window,
        windowed.window_order as response_window_order,
        windowed.speed_group as response_speed_group,
        first_opportunities.opportunity_id as first_opportunity_id,
        first_opportunities.created_at as first_opportunity_created_at,
        first_opportunities.amount_usd as first_opportunity_amount_usd,
        handoff_scores.total_score as handoff_total_score,
        peak_scores.peak_total_score,
        cast(cast(current_scores.total_score as decimal(10, 2)) as {{ type_double() }}) as total_score,
        top_reasons.top_score_reasons,
        tiered.qualification_stage,
        tiered.mql_at,
        tiered.sql_at,
        leads.campaign_id,
        leads.lead_source,
        first_opportunities.opportunity_id is not null as is_converted
    from waiting
    inner join leads
        on waiting.lead_id = leads.lead_id
    inner join tiered
        on waiting.lead_id = tiered.lead_id
    left join running_scores as current_scores
        on
            waiting.lead_id = current_scores.lead_id
            and current_scores.moment_kind = 'as_of'
    left join top_reasons
        on waiting.lead_id = top_reasons.lead_id
    left join windowed
        on waiting.lead_id = windowed.lead_id
    left join first_opportunities
        on waiting.lead_id = first_opportunities.lead_id
    left join handoff_scores
        on waiting.lead_id = handoff_scores.lead_id
    left join peak_scores
        on waiting.lead_id = peak_scores.lead_id

)

select * from final
