-- The clean rows of raw.lead_enrichment (contract section 1), what every model downstream reads:
-- base_enrichment__lead_enrichment keeps every raw row with its quarantine reason (listed in quarantined_records); here
-- only the rows without one, so no consumer can forget the filter.
with

base as (

    select * from {{ ref('base_enrichment__lead_enrichment') }}
    where quarantine_reason is null

),

final as (

    select
        lead_id,
        enriched_at,
        industry,
        employee_count,
        annual_revenue_usd,
        tech_stack,
        revenue_growth_pct,
        provider
    from base

)

select * from final
