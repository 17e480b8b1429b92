-- Sustained compliance drops (seed compliance_drop_rules): one row per rule x team x tier x
-- complete period in which the team's first-touch compliance for the tier (all territories
-- together) was below the tier's band (target_min) with at least min_leads_due leads due, with
-- the number of such periods in a row ending there. A drop is sustained from the period where
-- that run reaches consecutive_periods; `is_drop_start` marks that period, which raises one
-- `compliance_drop` alert (sla_alerts) to the team's manager and operations. A period without
-- enough decided leads, or inside the band, ends the run.
with

compliance as (

    select * from {{ ref('sla_compliance') }}
    where is_complete_period

),

compliance_drop_rules as (

    select * from {{ ref('compliance_drop_rules') }}

),

team_managers as (

    select * from {{ ref('int_team_managers_resolved') }}

),

team_periods as (

    select
        compliance_drop_rules.compliance_drop_rule_id,
        compliance_drop_rules.consecutive_periods,
        compliance_drop_rules.min_leads_due,
        compliance.period_grain,
        compliance.period_start_date,
        compliance.period_end_date,
        compliance.priority_tier,
        compliance.team,
        sum(compliance.leads_due) as leads_due,
        sum(compliance.leads_met) as leads_met,
        max(compliance.target_min) as target_min,
        max(compliance.target_max) as target_max
    from compliance
    inner join compliance_drop_rules
        on compliance.period_grain = compliance_drop_rules.period_grain
    group by
        compliance_drop_rules.compliance_drop_rule_id,
        compliance_drop_rules.consecutive_periods,
        compliance_drop_rules.min_leads_due,
        compliance.period_grain,
        compliance.period_start_date,
        compliance.period_end_date,
        compliance.priority_tier,
        compliance.team

),

rated as (

    select
        *,
        cast(leads_met as {{ type_double() }}) / leads_due as compliance_rate,
        leads_due >= min_leads_due
        and cast(leads_met as {{ type_double() }}) / leads_due < target_min as is_below_band,
        -- consecutive periods have consecutive numbers
        case period_grain
            when 'day' then {{ dbt.datediff("cast('2000-01-03' as date)", 'period_start_date', 'day') }}  -- noqa: LT05
            when 'week' then {{ dbt.datediff("cast('2000-01-03' as date)", 'period_start_date', 'day') }} / 7  -- noqa: LT05
            when 'month' then {{ dbt.datediff("cast('2000-01-01' as date)", 'period_start_date', 'month') }}  -- noqa: LT05
        end as period_number
    from team_periods

),

runs as (

    -- gaps and islands: below-band periods in a row share period_number - their rank
    select
        *,
        period_number - row_number() over (
            partition by compliance_drop_rule_id, team, priority_tier
            order by period_number
        ) as run_key
    from rated
    where is_below_band

),

counted as (

    select
        *,
        row_number() over (
            partition by compliance_drop_rule_id, team, priority_tier, run_key
            order by period_number
        ) as periods_below_in_a_row
    from runs

),

final as (

    select
        counted.compliance_drop_rule_id,
        counted.period_grain,
        counted.period_start_date,
        counted.period_end_date,
        cast(counted.priority_tier as integer) as priority_tier,
        counted.team,
        team_managers.manager_rep_id as team_manager_rep_id,
        cast(counted.leads_due as integer) as leads_due,
        cast(counted.leads_met as integer) as leads_met,
        cast(counted.compliance_rate as {{ type_double() }}) as compliance_rate,
        cast(counted.target_min as {{ type_double() }}) as target_min,
        cast(counted.target_max as {{ type_double() }}) as target_max,
        cast(counted.periods_below_in_a_row as integer) as periods_below_in_a_row,
        cast(counted.consecutive_periods as integer) as consecutive_periods,
        counted.periods_below_in_a_row = counted.consecutive_periods as is_drop_start,
        {{ as_of() }} as drops_as_of_at
    from counted
    left join team_managers
        on counted.team = team_managers.team
    where counted.periods_below_in_a_row >= counted.consecutive_periods

)

select * from final
