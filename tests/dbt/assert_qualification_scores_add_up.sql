-- The score is explainable: on the leads mart the four dimension scores add up to
-- total_score, and the score contributions of lead_score_reasons add up to it too (within
-- rounding: the mart rounds each score to 2 decimals).
with

leads as (

    select * from {{ ref('leads') }}

),

reasons as (

    select * from {{ ref('lead_score_reasons') }}

),

contributions as (

    select
        lead_id,
        sum(score_contribution) as contribution_total
    from reasons
    group by lead_id

),

checked as (

    select
        leads.lead_id,
        leads.total_score,
        leads.budget_authority_score + leads.need_score + leads.timeline_score + leads.fit_score
            as dimension_total,
        coalesce(contributions.contribution_total, 0) as contribution_total
    from leads
    left join contributions
        on leads.lead_id = contributions.lead_id

)

select
    lead_id,
    'lead ' || lead_id || ': total_score ' || cast(total_score as {{ dbt.type_string() }})
    || ', dimensions add up to ' || cast(dimension_total as {{ dbt.type_string() }})
    || ', reasons add up to ' || cast(contribution_total as {{ dbt.type_string() }}) as failing_row
from checked
where
    abs(total_score - dimension_total) > 0.03
    or abs(total_score - contribution_total) > 0.01
