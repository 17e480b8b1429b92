-- A table, not a view: its dedup and orphan checks run once, not once per consumer.
{{ config(materialized='table', tags=['quarantine']) }}

with

source as (

    select * from {{ source('crm', 'leads') }}

),

cleaned as (

    select
        {{ clean_text('lead_id') }} as lead_id,
        {{ clean_text('created_at') }} as created_at_text,
        {{ parse_timestamp_utc('created_at') }} as created_at,
        {{ clean_text('updated_at') }} as updated_at_text,
        {{ parse_timestamp_utc('updated_at') }} as updated_at,
        {{ clean_code('email') }} as email,
        {{ clean_text('first_name') }} as first_name,
        {{ clean_text('last_name') }} as last_name,
        {{ clean_text('job_title') }} as job_title,
        {{ clean_text('phone') }} as phone,
        {{ clean_text('company_name') }} as company_name,
        {{ normalize_domain('company_domain') }} as company_domain,
        upper({{ clean_text('country_code') }}) as country_code_text,
        {{ clean_text('region') }} as region,
        {{ clean_code('industry') }} as industry,
        {{ clean_text('employee_count') }} as employee_count_text,
        {{ try_cast(clean_text('employee_count'), 'integer') }} as employee_count,
        {{ clean_text('annual_revenue_usd') }} as annual_revenue_text,
        {{ try_cast(clean_text('annual_revenue_usd'), type_double()) }} as annual_revenue_usd,
        {{ clean_code('lead_source') }} as lead_source,
        {{ clean_code('product_interest') }} as product_interest,
        {{ clean_text('campaign_id') }} as campaign_id,
        _loaded_at as loaded_at
    from source

),

ranked as (

    -- the latest usable CRM version of a lead wins; older copies are quarantined as duplicates
    -- (a copy whose created_at does not parse never outranks one that does)
    select
        *,
        row_number() over (
            partition by lead_id
            order by
                case when created_at is null then 1 else 0 end asc,
                updated_at desc nulls last,
                created_at desc nulls last,
                email asc
        ) as key_rank
    from cleaned

),

checked as (

    select
        *,
        case
            when lead_id is null then 'missing_required_field:lead_id'
            when created_at_text is null then 'missing_required_field:created_at'
            when created_at is null then 'unparseable_timestamp:created_at'
            when key_rank > 1 then 'duplicate_key:lead_id'
        end as quarantine_reason,
        case
            when updated_at_text is not null and updated_at is null then 'unparseable_timestamp:updated_at'
            when employee_count_text is not null and employee_count is null then 'unparseable_number:employee_count'
            when employee_count < 0 then 'invalid_value:employee_count'
            when annual_revenue_text is not null and annual_revenue_usd is null
                then 'unparseable_number:annual_revenue_usd'
            when annual_revenue_usd < 0 then 'invalid_value:annual_revenue_usd'
            when not {{ regex_matches('country_code_text', "'^[A-Z]{2}$'") }} then 'invalid_value:country_code'
        end as value_issue
    from ranked

),

final as (

    select
        lead_id,
        created_at,
        updated_at,
        email,
        {{ dbt.split_part('email', "'@'", 2) }} as email_domain,
        first_name,
        last_name,
        job_title,
        phone,
        company_name,
        company_domain,
        case when {{ regex_matches('country_code_text', "'^[A-Z]{2}$'") }} then country_code_text end as country_code,
        region,
        industry,
        case when employee_count >= 0 then employee_count end as employee_count,
        case when annual_revenue_usd >= 0 then annual_revenue_usd end as annual_revenue_usd,
        lead_source,
        product_interest,
        campaign_id,
        coalesce(lead_id, '(missing)') as record_key,
        quarantine_reason,
        value_issue,
        loaded_at
    from checked

)

select * from final
