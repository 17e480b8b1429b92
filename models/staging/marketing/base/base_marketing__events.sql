-- A table, not a view: its dedup and orphan checks run once, not once per consumer.
{{ config(materialized='table', tags=['quarantine']) }}

with

source as (

    select * from {{ source('marketing', 'marketing_events') }}

),

leads as (

    select * from {{ ref('stg_crm__leads') }}

),

cleaned as (

    select
        {{ clean_text('event_id') }} as event_id,
        {{ clean_text('lead_id') }} as lead_id,
        {{ clean_text('occurred_at') }} as occurred_at_text,
        {{ parse_timestamp_utc('occurred_at') }} as occurred_at,
        -- kept whatever the value: unknown types score nothing and are reported by a warn test
        {{ clean_code('event_type') }} as event_type,
        {{ clean_text('campaign_id') }} as campaign_id,
        {{ clean_text('content_id') }} as content_id,
        {{ clean_text('page_url') }} as page_url,
        {{ clean_code('form_timeline') }} as form_timeline_text,
        {{ clean_code('form_budget_status') }} as form_budget_status_text
    from source

),

ranked as (

    -- of several rows for one event id, a usable one wins (then the earliest);
    -- the others are quarantined as duplicates
    select
        cleaned.*,
        leads.lead_id as known_lead_id,
        row_number() over (
            partition by cleaned.event_id
            order by
                case
                    when cleaned.occurred_at is null or cleaned.event_type is null or leads.lead_id is null
                        then 1
                    else 0
                end,
                cleaned.occurred_at,
                cleaned.event_type
        ) as key_rank
    from cleaned
    left join leads
        on cleaned.lead_id = leads.lead_id

),

checked as (

    select
        *,
        case
            when event_id is null then 'missing_required_field:event_id'
            when lead_id is null then 'missing_required_field:lead_id'
            when occurred_at_text is null then 'missing_required_field:occurred_at'
            when event_type is null then 'missing_required_field:event_type'
            when occurred_at is null then 'unparseable_timestamp:occurred_at'
            when key_rank > 1 then 'duplicate_key:event_id'
            when known_lead_id is null then 'orphan_foreign_key:lead_id'
        end as quarantine_reason,
        case
            when form_timeline_text is not null and not {{ in_contract_enum('form_timeline_text', 'form_timeline') }}
                then 'unknown_enum_value:form_timeline'
            when form_budget_status_text is not null
                and not {{ in_contract_enum('form_budget_status_text', 'form_budget_status') }}
                then 'unknown_enum_value:form_budget_status'
        end as value_issue
    from ranked

),

final as (

    select
        event_id,
        lead_id,
        occurred_at,
        event_type,
        campaign_id,
        content_id,
        page_url,
        case
            when {{ in_contract_enum('form_timeline_text', 'form_timeline') }} then form_timeline_text
        end as form_timeline,
        case
            when {{ in_contract_enum('form_budget_status_text', 'form_budget_status') }} then form_budget_status_text
        end as form_budget_status,
        {{ key_text(['event_id']) }} as record_key,
        quarantine_reason,
        value_issue
    from checked

)

select * from final
