{#- Long because the month at a glance gathers eight measures (volumes, compliance per tier and
    its trend, feedback, pipeline, revenue, rejections, the ladder, calibration) from as many
    models; each is one short, named CTE, and splitting them would make one-use models.
    The month at a glance for leadership (contract section 4): one row per calendar month (UTC)
    from the first month with a lead to the month of as_of. Volumes by the month they happened
    in; SLA compliance per tier by the month it was decided (sla_compliance, all teams and
    territories) against the tier's band, with the change from the month before; sales feedback
    by the month of handoff; pipeline by the month the opportunity was created and revenue by
    the month it was won; the violation ladder's breaches and level-ups; the quarter's score
    calibration verdict. The tiers are the contract's (1, 2, 3). -#}
{%- set tiers = [1, 2, 3] -%}
with

leads as (

    select * from {{ ref('leads') }}

),

handed_off as (

    select * from {{ ref('lead_sla') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}
    where created_at <= {{ as_of() }}

),

compliance as (

    select * from {{ ref('sla_compliance') }}
    where period_grain = 'month'

),

compliance_targets as (

    select * from {{ ref('compliance_targets') }}

),

feedback as (

    select * from {{ ref('int_lead_feedback_evaluated') }}

),

rejections as (

    select * from {{ ref('lead_dispositions') }}
    where status = 'rejected'

),

breaches as (

    select * from {{ ref('int_rep_breaches_laddered') }}

),

calibration as (

    select * from {{ ref('score_calibration') }}

),

month_numbers as (

    {{ dbt.generate_series(calendar_spine_day_limit()) }}

),

bounds as (

    select
        cast({{ dbt.date_trunc('month', 'min(created_at)') }} as date) as first_month_date,
        cast({{ dbt.date_trunc('month', as_of()) }} as date) as last_month_date
    from leads

),

months as (

    select
        cast({{ dbt.dateadd('month', 'month_numbers.generated_number - 1', 'bounds.first_month_date') }} as date)
            as month_start_date
    from bounds
    cross join month_numbers
    where
        month_numbers.generated_number - 1
        <= {{ dbt.datediff('bounds.first_month_date', 'bounds.last_month_date', 'month') }}

),

dated_facts as (

    -- everything counted by the month it happened in, one row per fact
    select
        'lead_created' as fact,
        created_at as fact_at,
        cast(0 as {{ type_double() }}) as amount_usd
    from leads
    union all
    select
        'mql' as fact,
        mql_at as fact_at,
        0 as amount_usd
    from leads
    where mql_at is not null
    union all
    select
        'sql' as fact,
        sql_at as fact_at,
        0 as amount_usd
    from leads
    where sql_at is not null
    union all
    select
        'handoff' as fact,
        handoff_at as fact_at,
        0 as amount_usd
    from handed_off
    union all
    select
        'opportunity' as fact,
        created_at as fact_at,
        coalesce(amount_usd, 0) as amount_usd
    from opportunities
    union all
    -- a won deal without a close date counts in the month it was created
    select
        'won' as fact,
        coalesce(closed_at, created_at) as fact_at,
        coalesce(amount_usd, 0) as amount_usd
    from opportunities
    where {{ is_won_by_as_of() }}

),

volumes as (

    select
        cast({{ dbt.date_trunc('month', 'fact_at') }} as date) as month_start_date,
        sum(case when fact = 'lead_created' then 1 else 0 end) as leads_created,
        sum(case when fact = 'mql' then 1 else 0 end) as mqls,
        sum(case when fact = 'sql' then 1 else 0 end) as sqls,
        sum(case when fact = 'handoff' then 1 else 0 end) as leads_handed_off,
        sum(case when fact = 'opportunity' then 1 else 0 end) as opportunities_created,
        sum(case when fact = 'opportunity' then amount_usd else 0 end) as pipeline_created_usd,
        sum(case when fact = 'won' then 1 else 0 end) as deals_won,
        sum(case when fact = 'won' then amount_usd else 0 end) as revenue_won_usd
    from dated_facts
    group by cast({{ dbt.date_trunc('month', 'fact_at') }} as date)

),

tier_compliance as (

    select
        compliance.period_start_date as month_start_date,
        compliance.priority_tier,
        sum(compliance.leads_due) as leads_due,
        sum(compliance.leads_met) as leads_met
    from compliance
    group by compliance.period_start_date, compliance.priority_tier

),

tier_rates as (

    select
        *,
        cast(leads_met as {{ type_double() }}) / leads_due as compliance_rate
    from tier_compliance

),

tier_targets as (

    -- every month shows the bands, also a month in which no lead of a tier fell due
    select
        {% for tier in tiers -%}
            max(case when priority_tier = {{ tier }} then target_min end) as tier{{ tier }}_target_min,
            max(case when priority_tier = {{ tier }} then target_max end) as tier{{ tier }}_target_max
            {%- if not loop.last %},{% endif %}
        {% endfor %}
    from compliance_targets

),

feedback_volumes as (

    select
        cast({{ dbt.date_trunc('month', 'handoff_at') }} as date) as month_start_date,
        sum(case when feedback_status in ('in_time', 'late', 'overdue') then 1 else 0 end) as feedback_due,
        sum(case when feedback_status = 'in_time' then 1 else 0 end) as feedback_in_time
    from feedback
    group by cast({{ dbt.date_trunc('month', 'handoff_at') }} as date)

),

reason_counts as (

    select
        cast({{ dbt.date_trunc('month', 'disposed_at') }} as date) as month_start_date,
        rejection_reason,
        count(*) as rejections
    from rejections
    group by cast({{ dbt.date_trunc('month', 'disposed_at') }} as date), rejection_reason

),

ranked_reasons as (

    select
        *,
        row_number() over (
            partition by month_start_date order by rejections desc, rejection_reason asc
        ) as reason_rank,
        sum(rejections) over (partition by month_start_date) as month_rejections
    from reason_counts

),

top_reasons as (

    select
        month_start_date,
        max(month_rejections) as rejections,
        {{ dbt.listagg(
            "rejection_reason || ' (' || cast(rejections as " ~ dbt.type_string() ~ ") || ')'",
            "', '",
            'order by reason_rank'
        ) }} as top_rejection_reasons
    from ranked_reasons
    where reason_rank <= 3
    group by month_start_date

),

level_counts as (

    select
        cast({{ dbt.date_trunc('month', 'breach_at') }} as date) as month_start_date,
        ladder_level,
        max(level_rank) as level_rank,
        count(*) as breaches,
        sum(case when is_level_up then 1 else 0 end) as level_ups
    from breaches
    where breach_at <= {{ as_of() }}
    group by cast({{ dbt.date_trunc('month', 'breach_at') }} as date), ladder_level

),

ladder as (

    select
        month_start_date,
        sum(breaches) as sla_breaches,
        sum(level_ups) as ladder_level_ups,
        -- levels nobody reached this month are left out (the aggregate skips nulls)
        {{ dbt.listagg(
            "case when level_ups > 0 then ladder_level || ' ' || cast(level_ups as " ~ dbt.type_string() ~ ") end",
            "', '",
            'order by level_rank'
        ) }} as ladder_level_up_counts
    from level_counts
    group by month_start_date

),

joined as (

    select
        months.month_start_date,
        coalesce(volumes.leads_created, 0) as leads_created,
        coalesce(volumes.mqls, 0) as mqls,
        coalesce(volumes.sqls, 0) as sqls,
        coalesce(volumes.leads_handed_off, 0) as leads_handed_off,
        coalesce(volumes.opportunities_created, 0) as opportunities_created,
        coalesce(volumes.pipeline_created_usd, 0) as pipeline_created_usd,
        coalesce(volumes.deals_won, 0) as deals_won,
        coalesce(volumes.revenue_won_usd, 0) as revenue_won_usd,
        {% for tier in tiers -%}
            coalesce(tier_{{ tier }}.leads_due, 0) as tier{{ tier }}_leads_due,
            tier_{{ tier }}.compliance_rate as tier{{ tier }}_compliance_rate,
            tier_targets.tier{{ tier }}_target_min,
            tier_targets.tier{{ tier }}_target_max,
        {% endfor -%}
        coalesce(feedback_volumes.feedback_due, 0) as feedback_due,
        coalesce(feedback_volumes.feedback_in_time, 0) as feedback_in_time,
        coalesce(top_reasons.rejections, 0) as rejections,
        top_reasons.top_rejection_reasons,
        coalesce(ladder.sla_breaches, 0) as sla_breaches,
        coalesce(ladder.ladder_level_ups, 0) as ladder_level_ups,
        ladder.ladder_level_up_counts,
        calibration.verdict as calibration_verdict,
        calibration.high_score_conversion_rate as calibration_conversion_rate
    from months
    cross join tier_targets
    left join volumes
        on months.month_start_date = volumes.month_start_date
    {% for tier in tiers -%}
        left join tier_rates as tier_{{ tier }}
            on months.month_start_date = tier_{{ tier }}.month_start_date and tier_{{ tier }}.priority_tier = {{ tier }}
    {% endfor -%}
    left join feedback_volumes
        on months.month_start_date = feedback_volumes.month_start_date
    left join top_reasons
        on months.month_start_date = top_reasons.month_start_date
    left join ladder
        on months.month_start_date = ladder.month_start_date
    left join calibration
        on cast({{ dbt.date_trunc('quarter', 'months.month_start_date') }} as date) = calibration.quarter_start_date

),

final as (

    select
        month_start_date,
        cast(leads_handed_off as integer) as leads_handed_off,
        cast(pipeline_created_usd as {{ type_double() }}) as pipeline_created_usd,
        cast(revenue_won_usd as {{ type_double() }}) as revenue_won_usd,
        {% for tier in tiers -%}
            cast(tier{{ tier }}_leads_due as integer) as tier{{ tier }}_leads_due,
            cast(tier{{ tier }}_compliance_rate as {{ type_double() }}) as tier{{ tier }}_compliance_rate,
            cast(tier{{ tier }}_target_min as {{ type_double() }}) as tier{{ tier }}_target_min,
            cast(tier{{ tier }}_target_max as {{ type_double() }}) as tier{{ tier }}_target_max,
            case
                when tier{{ tier }}_compliance_rate is null then null
                when tier{{ tier }}_target_min is null and tier{{ tier }}_target_max is null then 'no_target'
                when tier{{ tier }}_compliance_rate < tier{{ tier }}_target_min then 'below_target'
                when tier{{ tier }}_compliance_rate > tier{{ tier }}_target_max then 'above_target'
                else 'within_target'
            end as tier{{ tier }}_compliance_status,
            cast(
                tier{{ tier }}_compliance_rate - lag(tier{{ tier }}_compliance_rate) over (order by month_start_date)
                as {{ type_double() }}
            ) as tier{{ tier }}_compliance_change,
        {% endfor -%}
        cast(leads_created as integer) as leads_created,
        cast(mqls as integer) as mqls,
        cast(sqls as integer) as sqls,
        cast(opportunities_created as integer) as opportunities_created,
        cast(deals_won as integer) as deals_won,
        cast(feedback_due as integer) as feedback_due,
        cast(feedback_in_time as integer) as feedback_in_time,
        cast(
            case when feedback_due > 0 then cast(feedback_in_time as {{ type_double() }}) / feedback_due end
            as {{ type_double() }}
        ) as feedback_completion_rate,
        cast(rejections as integer) as rejections,
        top_rejection_reasons,
        cast(sla_breaches as integer) as sla_breaches,
        cast(ladder_level_ups as integer) as ladder_level_ups,
        ladder_level_up_counts,
        calibration_verdict,
        cast(calibration_conversion_rate as {{ type_double() }}) as calibration_conversion_rate,
        cast({{ dbt.dateadd('month', 1, 'month_start_date') }} as {{ dbt.type_timestamp() }}) <= {{ as_of() }}
            as is_complete_month,
        {{ as_of() }} as executive_as_of_at
    from joined

)

select * from final
