-- A table, not a view: its dedup and orphan checks run once, not once per consumer.
{{ config(materialized='table', tags=['quarantine']) }}

with

source as (

    select * from {{ source('enrichment', 'lead_enrichment') }}

),

leads as (

    select * from {{ ref('stg_crm__leads') }}

),

cleaned as (

    select
        {{ clean_text('lead_id') }} as lead_id,
        {{ clean_text('enriched_at') }} as enriched_at_text,
        {{ parse_timestamp_utc('enriched_at') }} as enriched_at,
        {{ clean_code('industry') }} as industry,
        {{ clean_text('employee_count') }} as employee_count_text,
        {{ try_cast(clean_text('employee_count'), 'integer') }} as employee_count_parsed,
        {{ clean_text('annual_revenue_usd') }} as annual_revenue_usd_text,
        {{ try_cast(clean_text('annual_revenue_usd'), type_double()) }} as annual_revenue_usd_parsed,
        -- lower case, tokens trimmed, ';'-separated, no empty tokens: ' A ; b;;' -> 'a;b'
        nullif(
            {{ regex_replace_all(
                regex_replace_all(clean_code('tech_stack'), "'\\s*;[\\s;]*'", "';'"),
                "'^;|;$'",
                "''"
            ) }},
            ''
        ) as tech_stack,
        {{ clean_text('revenue_growth_pct') }} as revenue_growth_pct_text,
        {{ try_cast(clean_text('revenue_growth_pct'), type_double()) }} as revenue_growth_pct,
        {{ clean_code('provider') }} as provider,  -- noqa: RF04
        _loaded_at as loaded_at
    from source

),

ranked as (

    -- the same provider row delivered twice (same lead, instant and provider) counts once
    select
        cleaned.*,
        leads.lead_id as known_lead_id,
        row_number() over (
            partition by cleaned.lead_id, cleaned.enriched_at, cleaned.provider
            order by
                cleaned.employee_count_parsed nulls last,
                cleaned.annual_revenue_usd_parsed nulls last,
                cleaned.industry nulls last,
                cleaned.tech_stack nulls last
        ) as key_rank
    from cleaned
    left join leads
        on cleaned.lead_id = leads.lead_id

),

checked as (

    select
        *,
        case
            when lead_id is null then 'missing_required_field:lead_id'
            when enriched_at_text is null then 'missing_required_field:enriched_at'
            when enriched_at is null then 'unparseable_timestamp:enriched_at'
            when known_lead_id is null then 'orphan_foreign_key:lead_id'
            when key_rank > 1 then 'duplicate_key:enriched_at'
        end as quarantine_reason,
        case
            when employee_count_text is not null and employee_count_parsed is null
                then 'unparseable_number:employee_count'
            when employee_count_parsed < 0 then 'invalid_value:employee_count'
            when annual_revenue_usd_text is not null and annual_revenue_usd_parsed is null
                then 'unparseable_number:annual_revenue_usd'
            when annual_revenue_usd_parsed < 0 then 'invalid_value:annual_revenue_usd'
            when revenue_growth_pct_text is not null and revenue_growth_pct is null
                then 'unparseable_number:revenue_growth_pct'
        end as value_issue
    from ranked

),

final as (

    select
        lead_id,
        enriched_at,
        industry,
        case when employee_count_parsed >= 0 then employee_count_parsed end as employee_count,
        case when annual_revenue_usd_parsed >= 0 then annual_revenue_usd_parsed end as annual_revenue_usd,
        tech_stack,
        revenue_growth_pct,
        provider,
        {{ key_text(['lead_id', 'enriched_at_text', 'provider']) }} as record_key,
        quarantine_reason,
        value_issue,
        loaded_at
    from checked

)

select * from final
