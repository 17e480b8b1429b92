-- first_touch_age and sla_compliance count the same leads (issue 14): per month of decision,
-- tier and team, decided leads = leads due, and fast + slow compliant = leads met. Failing rows
-- name the group and both counts.
with

first_touch_age as (

    select * from {{ ref('first_touch_age') }}

),

compliance as (

    select * from {{ ref('sla_compliance') }}
    where period_grain = 'month'

),

compliance_by_team as (

    select
        period_start_date as month_start_date,
        priority_tier,
        team,
        sum(leads_due) as leads_due,
        sum(leads_met) as leads_met
    from compliance
    group by period_start_date, priority_tier, team

),

ages as (

    select
        month_start_date,
        priority_tier,
        team,
        decided_leads,
        fast_compliant_leads,
        slow_compliant_leads
    from first_touch_age

),

final as (

    select
        ages.decided_leads,
        compliance_by_team.leads_due,
        compliance_by_team.leads_met,
        coalesce(ages.month_start_date, compliance_by_team.month_start_date) as month_start_date,
        coalesce(ages.priority_tier, compliance_by_team.priority_tier) as priority_tier,
        coalesce(ages.team, compliance_by_team.team) as team,
        ages.fast_compliant_leads + ages.slow_compliant_leads as compliant_leads
    from ages
    full outer join compliance_by_team
        on
            ages.month_start_date = compliance_by_team.month_start_date
            and ages.priority_tier = compliance_by_team.priority_tier
            and coalesce(ages.team, '(none)') = coalesce(compliance_by_team.team, '(none)')
    where
        ages.decided_leads is null
        or compliance_by_team.leads_due is null
        or ages.decided_leads <> compliance_by_team.leads_due
        or ages.fast_compliant_leads + ages.slow_compliant_leads <> compliance_by_team.leads_met

)

select * from final
