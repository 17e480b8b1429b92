-- The clean rows of raw.leads (contract section 1), what every model downstream reads:
-- base_crm__leads keeps every raw row with its quarantine reason (listed in quarantined_records); here
-- only the rows without one, so no consumer can forget the filter.
with

base as (

    select * from {{ ref('base_crm__leads') }}
    where quarantine_reason is null

),

final as (

    select
        lead_id,
        created_at,
        updated_at,
        email,
        email_domain,
        first_name,
        last_name,
        job_title,
        phone,
        company_name,
        company_domain,
        country_code,
        region,
        industry,
        employee_count,
        annual_revenue_usd,
        lead_source,
        product_interest,
        campaign_id
    from base

)

select * from final
