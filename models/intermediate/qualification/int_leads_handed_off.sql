-- The one definition of a handed-off lead (contract section 3): a lead that is not
-- disqualified and whose priority tier's rule held at or before as_of. Routing, the SLA and
-- the alerts read this model, never their own copy of the filter. One row per lead, with the
-- attributes (as of as_of) the routing rules match on.
with

tiered as (

    select * from {{ ref('int_leads_tiered') }}
    where
        handoff_at is not null
        and not is_disqualified
        and handoff_at <= {{ as_of() }}

),

leads as (

    select * from {{ ref('stg_crm__leads') }}

),

current_attributes as (

    select * from {{ ref('int_lead_attributes_versioned') }}
    where is_current_version

),

accounts_matched as (

    select * from {{ ref('int_leads_account_matched') }}

),

final as (

    select
        tiered.lead_id,
        leads.created_at,
        tiered.priority_tier,
        tiered.priority_tier_name,
        tiered.handoff_at,
        tiered.handoff_rule_kind,
        tiered.handoff_event_id,
        leads.company_name,
        leads.company_domain,
        leads.country_code,
        leads.region,
        current_attributes.territory,
        current_attributes.industry,
        current_attributes.size_tier,
        leads.product_interest,
        leads.lead_source,
        leads.campaign_id,
        accounts_matched.matched_account_id,
        accounts_matched.matched_account_owner_rep_id
    from tiered
    inner join leads
        on tiered.lead_id = leads.lead_id
    inner join current_attributes
        on tiered.lead_id = current_attributes.lead_id
    inner join accounts_matched
        on tiered.lead_id = accounts_matched.lead_id

)

select * from final
