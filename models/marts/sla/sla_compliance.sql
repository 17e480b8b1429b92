-- First-touch SLA compliance (contract section 4): one row per period x priority tier x team x
-- territory with at least one decided lead. A lead counts once its status is decided, in the
-- day, week (Monday) and month (UTC) of the instant it was decided: its first valid touch when
-- met, its deadline when breached. Both are at or before as_of, so no row exists for a period
-- that starts after as_of; a period still running has is_complete_period = false. Pending leads
-- are not decided yet. team is the SLA rep's team at the initial assignment (`unassigned` when
-- nobody owns the lead), territory the lead's. Targets per tier: seed compliance_targets.
with

lead_sla as (

    select * from {{ ref('lead_sla') }}
    where sla_status in ('met', 'breached')

),

decided_leads as (

    select
        *,
        case when sla_status = 'met' then first_valid_touch_at else sla_due_at end as decided_at
    from lead_sla

),

compliance_targets as (

    select * from {{ ref('compliance_targets') }}

),

periods as (

    select
        'day' as period_grain,
        cast(decided_at as date) as period_start_date,
        priority_tier,
        team,
        territory,
        sla_status
    from decided_leads
    union all
    select
        'week' as period_grain,
        cast({{ dbt.date_trunc('week', 'decided_at') }} as date) as period_start_date,
        priority_tier,
        team,
        territory,
        sla_status
    from decided_leads
    union all
    select
        'month' as period_grain,
        cast({{ dbt.date_trunc('month', 'decided_at') }} as date) as period_start_date,
        priority_tier,
        team,
        territory,
        sla_status
    from decided_leads

),

aggregated as (

    select
        period_start_date,
        period_grain,
        priority_tier,
        team,
        territory,
        count(*) as leads_due,
        sum(case when sla_status = 'met' then 1 else 0 end) as leads_met,
        sum(case when sla_status = 'breached' then 1 else 0 end) as leads_breached
    from periods
    group by period_start_date, period_grain, priority_tier, team, territory

),

rated as (

    select
        aggregated.*,
        case aggregated.period_grain
            when 'day' then cast({{ dbt.dateadd('day', 1, 'aggregated.period_start_date') }} as date)
            when 'week' then cast({{ dbt.dateadd('day', 7, 'aggregated.period_start_date') }} as date)
            when 'month' then cast({{ dbt.dateadd('month', 1, 'aggregated.period_start_date') }} as date)
        end as period_end_date,
        cast(aggregated.leads_met as {{ type_double() }}) / aggregated.leads_due as compliance_rate,
        compliance_targets.target_min,
        compliance_targets.target_max
    from aggregated
    left join compliance_targets
        on aggregated.priority_tier = compliance_targets.priority_tier

),

final as (

    select
        period_start_date,
        period_grain,
        priority_tier,
        team,
        territory,
        cast(leads_due as integer) as leads_due,
        cast(leads_met as integer) as leads_met,
        cast(compliance_rate as {{ type_double() }}) as compliance_rate,
        cast(target_min as {{ type_double() }}) as target_min,
        cast(target_max as {{ type_double() }}) as target_max,
        case
            when target_min is null and target_max is null then 'no_target'
            when compliance_rate < target_min then 'below_target'
            when compliance_rate > target_max then 'above_target'
            else 'within_target'
        end as compliance_status,
        cast(leads_breached as integer) as leads_breached,
        period_end_date,
        cast(period_end_date as {{ dbt.type_timestamp() }}) <= {{ as_of() }} as is_complete_period,
        {{ as_of() }} as compliance_as_of_at
    from rated

)

select * from final
