-- Compliance counts are consistent: 0 <= leads_met <= leads_due, and per grain the due leads
-- add up to the decided leads of lead_sla (nothing counted twice, nothing lost).
with

compliance as (

    select * from {{ ref('sla_compliance') }}

),

decided as (

    select count(*) as decided_lead_count
    from {{ ref('lead_sla') }}
    where sla_status in ('met', 'breached')

),

grain_totals as (

    select
        period_grain,
        sum(leads_due) as total_leads_due
    from compliance
    group by period_grain

),

inconsistent_rows as (

    select
        period_grain,
        cast(period_start_date as {{ dbt.type_string() }}) || ' tier ' || cast(priority_tier as {{ dbt.type_string() }})
        || ': ' || cast(leads_met as {{ dbt.type_string() }}) || ' met of '
        || cast(leads_due as {{ dbt.type_string() }}) || ' due' as problem
    from compliance
    where leads_met < 0 or leads_met > leads_due or leads_due <= 0

),

lost_leads as (

    select
        grain_totals.period_grain,
        cast(grain_totals.total_leads_due as {{ dbt.type_string() }}) || ' due, '
        || cast(decided.decided_lead_count as {{ dbt.type_string() }}) || ' decided in lead_sla' as problem
    from grain_totals
    cross join decided
    where grain_totals.total_leads_due <> decided.decided_lead_count

)

select * from inconsistent_rows
union all
select * from lost_leads
