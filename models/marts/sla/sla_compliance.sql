-- First-touch SLA compliance (contract section 4): one row per period x priority tier x team x
-- territory with at least one decided lead. A lead counts in the day, week (Monday) and month of
-- its sla_due_at (UTC) once its status is decided (met or breached); pending leads are not due
-- yet. team is the SLA rep's team at the initial assignment, territory the lead's. Targets
-- per tier come from the seed compliance_targets.
with

decided_leads as (

    select * from {{ ref('lead_sla') }}
    where sla_status in ('met', 'breached')

),

compliance_targets as (

    select * from {{ ref('compliance_targets') }}

),

periods as (

    select
        'day' as period_grain,
        cast(sla_due_at as date) as period_start_date,
        priority_tier,
        team,
        territory,
        sla_status
    from decided_leads
    union all
    select
        'week' as period_grain,
        cast({{ dbt.date_trunc('week', 'sla_due_at') }} as date) as period_start_date,
        priority_tier,
        team,
        territory,
        sla_status
    from decided_leads
    union all
    select
        'month' as period_grain,
        cast({{ dbt.date_trunc('month', 'sla_due_at') }} as date) as period_start_date,
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
