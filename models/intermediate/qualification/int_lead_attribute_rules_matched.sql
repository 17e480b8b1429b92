-- Long because all seven attribute rule tables are matched here against the same attribute
-- versions in one pass; each table is one short, named CTE.
-- One row per lead x attribute version x attribute scoring rule that matched it: job-title
-- seniority, company size band, revenue band (each worth budget-authority and fit points),
-- ICP industry, every ICP technology in the tech stack, revenue growth band and country.
-- Rules that match with 0 points are kept (they still classify the lead).
-- Incremental per lead (macros/handoff/lead_increment.sql), like the versions it reads.
{{ lead_incremental_config() }}
{%- set increment = lead_increment() %}

with

{{ touched_leads_cte(increment) }}

versions as (

    select * from {{ ref('int_lead_attributes_versioned') }}
    {{ scoring_leads_filter(increment) }}

),

job_title_seniority as (

    select * from {{ ref('job_title_seniority') }}

),

company_size_bands as (

    select * from {{ ref('company_size_bands') }}

),

revenue_bands as (

    select * from {{ ref('revenue_bands') }}

),

icp_industries as (

    select * from {{ ref('icp_industries') }}

),

icp_technologies as (

    select * from {{ ref('icp_technologies') }}

),

revenue_growth_bands as (

    select * from {{ ref('revenue_growth_bands') }}

),

country_territories as (

    select * from {{ ref('country_territories') }}

),

lead_titles as (

    -- the title does not change between versions: take it from version 0
    select
        lead_id,
        job_title,
        lower(job_title) as title_lower
    from versions
    where version_number = 0 and job_title is not null

),

distinct_titles as (

    -- each distinct title is matched once (a pattern read from a table is compiled per row)
    select distinct title_lower
    from lead_titles

),

title_matches as (

    select
        distinct_titles.title_lower,
        job_title_seniority.rule_id,
        job_title_seniority.seniority_level,
        job_title_seniority.points,
        row_number() over (
            partition by distinct_titles.title_lower
            order by job_title_seniority.match_priority, job_title_seniority.rule_id
        ) as match_rank
    from distinct_titles
    inner join job_title_seniority
        on {{ regex_matches('distinct_titles.title_lower', 'job_title_seniority.title_pattern') }}

),

lead_seniority as (

    select
        lead_titles.lead_id,
        lead_titles.job_title,
        title_matches.rule_id,
        title_matches.seniority_level,
        title_matches.points
    from lead_titles
    inner join title_matches
        on lead_titles.title_lower = title_matches.title_lower
    where title_matches.match_rank = 1

),

seniority_matched as (

    select
        versions.lead_id,
        versions.version_number,
        'job_title_seniority' as rule_kind,
        lead_seniority.rule_id,
        'budget_authority' as dimension,
        lead_seniority.points,
        lead_seniority.seniority_level || ': ' || lead_seniority.job_title as matched_value
    from versions
    inner join lead_seniority
        on versions.lead_id = lead_seniority.lead_id

),

band_dimensions as (

    -- size and revenue bands earn points in two dimensions
    select 'budget_authority' as dimension
    union all
    select 'fit' as dimension

),

size_matched as (

    select
        versions.lead_id,
        versions.version_number,
        'company_size_band' as rule_kind,
        company_size_bands.size_band as rule_id,
        band_dimensions.dimension,
        case
            when band_dimensions.dimension = 'budget_authority' then company_size_bands.budget_authority_points
            else company_size_bands.fit_points
        end as points,
        cast(versions.employee_count as {{ dbt.type_string() }}) || ' employees' as matched_value
    from versions
    inner join company_size_bands
        on versions.size_band = company_size_bands.size_band
    cross join band_dimensions

),

revenue_matched as (

    select
        versions.lead_id,
        versions.version_number,
        'revenue_band' as rule_kind,
        revenue_bands.revenue_band as rule_id,
        band_dimensions.dimension,
        case
            when band_dimensions.dimension = 'budget_authority' then revenue_bands.budget_authority_points
            else revenue_bands.fit_points
        end as points,
        'USD ' || cast(cast(versions.annual_revenue_usd as bigint) as {{ dbt.type_string() }}) as matched_value
    from versions
    inner join revenue_bands
        on versions.revenue_band = revenue_bands.revenue_band
    cross join band_dimensions

),

industry_matched as (

    select
        versions.lead_id,
        versions.version_number,
        'icp_industry' as rule_kind,
        icp_industries.industry as rule_id,
        'fit' as dimension,
        icp_industries.fit_points as points,
        versions.industry as matched_value
    from versions
    inner join icp_industries
        on versions.industry = icp_industries.industry

),

technology_matched as (

    select
        versions.lead_id,
        versions.version_number,
        'icp_technology' as rule_kind,
        icp_technologies.technology as rule_id,
        'fit' as dimension,
        icp_technologies.fit_points as points,
        versions.tech_stack as matched_value
    from versions
    inner join icp_technologies
        on ';' || versions.tech_stack || ';' like '%;' || icp_technologies.technology || ';%'
    where versions.tech_stack is not null

),

growth_matched as (

    select
        versions.lead_id,
        versions.version_number,
        'revenue_growth_band' as rule_kind,
        revenue_growth_bands.growth_band as rule_id,
        'fit' as dimension,
        revenue_growth_bands.fit_points as points,
        {{ double_text('versions.revenue_growth_pct') }} || ' %' as matched_value
    from versions
    inner join revenue_growth_bands
        on versions.growth_band = revenue_growth_bands.growth_band

),

country_matched as (

    select
        versions.lead_id,
        versions.version_number,
        'country_territory' as rule_kind,
        country_territories.country_code as rule_id,
        'fit' as dimension,
        country_territories.fit_points as points,
        country_territories.country_name as matched_value
    from versions
    inner join country_territories
        on versions.country_code = country_territories.country_code

),

matched as (

    select * from seniority_matched
    union all
    select * from size_matched
    union all
    select * from revenue_matched
    union all
    select * from industry_matched
    union all
    select * from technology_matched
    union all
    select * from growth_matched
    union all
    select * from country_matched

),

final as (

    select
        matched.lead_id,
        matched.version_number,
        versions.valid_from_at,
        versions.is_current_version,
        matched.rule_kind,
        matched.rule_id,
        matched.dimension,
        matched.points,
        matched.matched_value,
        {{ lead_build_columns() }}
    from matched
    inner join versions
        on
            matched.lead_id = versions.lead_id
            and matched.version_number = versions.version_number

)

select * from final
