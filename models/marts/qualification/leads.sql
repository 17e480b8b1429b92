-- The leads mart (contract section 4): one row per lead that exists as of as_of, with its
-- score as of as_of, lifecycle stage, disqualification and priority tier, plus the
-- attributes routing needs (as of as_of). Scores are rounded to 2 decimals; mql_at, sql_at
-- and handoff_at are historical moments of the running score (int_leads_tiered).
with

leads as (

    select * from {{ ref('stg_crm__leads') }}

),

current_attributes as (

    select * from {{ ref('int_lead_attributes_versioned') }}
    where is_current_version

),

seniority as (

    select * from {{ ref('int_lead_attribute_rules_matched') }}
    where is_current_version and rule_kind = 'job_title_seniority'

),

scores_as_of as (

    select * from {{ ref('int_lead_scores_current') }}

),

tiered as (

    select * from {{ ref('int_leads_tiered') }}

),

disqualified as (

    select * from {{ ref('int_leads_disqualified') }}

),

accounts_matched as (

    select * from {{ ref('int_leads_account_matched') }}

),

job_title_seniority as (

    select * from {{ ref('job_title_seniority') }}

),

top_reasons as (

    select * from {{ ref('int_leads_top_reasons_listed') }}

),

final as (

    select
        leads.lead_id,
        leads.created_at,
        cast(cast(scores_as_of.total_score as decimal(10, 2)) as {{ type_double() }}) as total_score,
        cast(
            cast(scores_as_of.budget_authority_score as decimal(10, 2)) as {{ type_double() }}
        ) as budget_authority_score,
        cast(cast(scores_as_of.need_score as decimal(10, 2)) as {{ type_double() }}) as need_score,
        cast(cast(scores_as_of.timeline_score as decimal(10, 2)) as {{ type_double() }}) as timeline_score,
        cast(cast(scores_as_of.fit_score as decimal(10, 2)) as {{ type_double() }}) as fit_score,
        tiered.qualification_stage,
        tiered.mql_at,
        tiered.sql_at,
        disqualified.is_disqualified,
        disqualified.disqualification_reason,
        disqualified.disqualification_reasons,
        disqualified.disqualification_detail,
        tiered.priority_tier,
        tiered.priority_tier_name,
        tiered.handoff_at,
        tiered.handoff_rule_kind,
        tiered.handoff_event_id,
        tiered.mql_rule_kind,
        top_reasons.top_score_reasons,
        scores_as_of.moment_at as score_as_of_at,
        leads.company_name,
        leads.company_domain,
        leads.email_domain,
        leads.job_title,
        job_title_seniority.seniority_level,
        leads.country_code,
        leads.region,
        current_attributes.territory,
        current_attributes.industry,
        current_attributes.employee_count,
        current_attributes.annual_revenue_usd,
        current_attributes.size_band,
        current_attributes.size_tier,
        leads.product_interest,
        leads.lead_source,
        leads.campaign_id,
        accounts_matched.matched_account_id,
        accounts_matched.matched_account_owner_rep_id,
        accounts_matched.is_existing_customer
    from leads
    inner join current_attributes
        on leads.lead_id = current_attributes.lead_id
    inner join scores_as_of
        on leads.lead_id = scores_as_of.lead_id
    inner join tiered
        on leads.lead_id = tiered.lead_id
    inner join disqualified
        on leads.lead_id = disqualified.lead_id
    inner join accounts_matched
        on leads.lead_id = accounts_matched.lead_id
    left join seniority
        on leads.lead_id = seniority.lead_id
    left join job_title_seniority
        on seniority.rule_id = job_title_seniority.rule_id
    left join top_reasons
        on leads.lead_id = top_reasons.lead_id

)

select * from final
