-- One row per lead x attribute version: what the warehouse knew about the lead's company from
-- a moment on. Version 0 is the lead row at created_at; every enrichment row delivered at or
-- before as_of adds a version at greatest(enriched_at, created_at) whose non-null values
-- override the lead row (the latest enrichment row wins; its nulls fall back to the lead row,
-- not to an earlier enrichment row). Bands, size tier and territory are looked up in the rule
-- seeds so every consumer classifies a version the same way.
-- Incremental per lead (macros/handoff/lead_increment.sql): no value depends on as_of beyond
-- which versions exist, and a version the move of as_of brings in rebuilds its lead.
{{ lead_incremental_config() }}
{%- set increment = lead_increment() %}

with

{{ touched_leads_cte(increment) }}

leads as (

    select * from {{ ref('stg_crm__leads') }}
    {{ scoring_leads_filter(increment) }}

),

enrichment as (

    select * from {{ ref('stg_enrichment__lead_enrichment') }}
    {{ scoring_leads_filter(increment) }}

),

company_size_bands as (

    select * from {{ ref('company_size_bands') }}

),

revenue_bands as (

    select * from {{ ref('revenue_bands') }}

),

revenue_growth_bands as (

    select * from {{ ref('revenue_growth_bands') }}

),

country_territories as (

    select * from {{ ref('country_territories') }}

),

leads_in_scope as (

    -- a lead created after as_of does not exist yet
    select *
    from leads
    where created_at <= {{ as_of() }}

),

lead_versions as (

    select
        lead_id,
        cast(null as {{ dbt.type_timestamp() }}) as enriched_at,
        cast(null as {{ dbt.type_string() }}) as enrichment_provider,
        cast(null as {{ dbt.type_string() }}) as tech_stack,
        cast(null as {{ type_double() }}) as revenue_growth_pct,
        0 as version_number,
        created_at as valid_from_at,
        industry,
        employee_count,
        annual_revenue_usd
    from leads_in_scope

),

enrichment_versions as (

    select
        enrichment.lead_id,
        enrichment.enriched_at,
        enrichment.provider as enrichment_provider,
        enrichment.tech_stack,
        enrichment.revenue_growth_pct,
        row_number() over (
            partition by enrichment.lead_id
            order by enrichment.enriched_at, enrichment.provider
        ) as version_number,
        greatest(enrichment.enriched_at, leads_in_scope.created_at) as valid_from_at,
        coalesce(enrichment.industry, leads_in_scope.industry) as industry,
        coalesce(enrichment.employee_count, leads_in_scope.employee_count) as employee_count,
        coalesce(enrichment.annual_revenue_usd, leads_in_scope.annual_revenue_usd) as annual_revenue_usd
    from enrichment
    inner join leads_in_scope
        on enrichment.lead_id = leads_in_scope.lead_id
    where enrichment.enriched_at <= {{ as_of() }}

),

versions as (

    select * from lead_versions
    union all
    select * from enrichment_versions

),

classified as (

    select
        versions.lead_id,
        versions.version_number,
        versions.valid_from_at,
        versions.enriched_at,
        versions.enrichment_provider,
        leads_in_scope.created_at as lead_created_at,
        leads_in_scope.job_title,
        leads_in_scope.country_code,
        versions.industry,
        versions.employee_count,
        versions.annual_revenue_usd,
        versions.tech_stack,
        versions.revenue_growth_pct,
        company_size_bands.size_band,
        revenue_bands.revenue_band,
        revenue_growth_bands.growth_band,
        country_territories.territory,
        coalesce(company_size_bands.size_tier, revenue_bands.size_tier) as size_tier,
        coalesce(country_territories.is_served, true) as is_served_country
    from versions
    inner join leads_in_scope
        on versions.lead_id = leads_in_scope.lead_id
    left join company_size_bands
        on
            versions.employee_count >= company_size_bands.min_employees
            and (
                company_size_bands.max_employees is null
                or versions.employee_count < company_size_bands.max_employees
            )
    left join revenue_bands
        on
            versions.annual_revenue_usd >= revenue_bands.min_annual_revenue_usd
            and (
                revenue_bands.max_annual_revenue_usd is null
                or versions.annual_revenue_usd < revenue_bands.max_annual_revenue_usd
            )
    left join revenue_growth_bands
        on
            versions.revenue_growth_pct is not null
            and (
                revenue_growth_bands.min_revenue_growth_pct is null
                or versions.revenue_growth_pct >= revenue_growth_bands.min_revenue_growth_pct
            )
            and (
                revenue_growth_bands.max_revenue_growth_pct is null
                or versions.revenue_growth_pct < revenue_growth_bands.max_revenue_growth_pct
            )
    left join country_territories
        on leads_in_scope.country_code = country_territories.country_code

),

final as (

    select
        lead_id,
        version_number,
        valid_from_at,
        enriched_at,
        enrichment_provider,
        lead_created_at,
        job_title,
        country_code,
        industry,
        employee_count,
        annual_revenue_usd,
        tech_stack,
        revenue_growth_pct,
        size_band,
        revenue_band,
        size_tier,
        growth_band,
        territory,
        is_served_country,
        lead(valid_from_at) over (
            partition by lead_id order by version_number
        ) as valid_to_at,
        version_number = max(version_number) over (partition by lead_id) as is_current_version,
        {{ lead_build_columns() }}
    from classified

)

select * from final
