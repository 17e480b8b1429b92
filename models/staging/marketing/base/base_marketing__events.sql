-- Incremental (macros/handoff/raw_increment.sql): a run stages again only the event ids touched
-- since the last one (new raw rows), the ids with a quarantined row (an orphan's lead may have
-- arrived, a duplicate may lose to a new row) and the clean rows whose lead is gone; all rows of
-- such an id are ranked and checked again, so the table equals a full build's.
{{
    config(
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='event_id',
        on_schema_change='append_new_columns',
        pre_hook="{{ delete_all_when_restaged(source('marketing', 'marketing_events')) }}",
        tags=['quarantine']
    )
}}
{%- set since = raw_increment_since(source('marketing', 'marketing_events')) %}

with

{% if since is not none -%}
new_raw_rows as (

    select * from {{ source('marketing', 'marketing_events') }}
    where {{ loaded_after(since) }}

),

staged as (

    select * from {{ this }}

),

current_leads as (

    select * from {{ ref('stg_crm__leads') }}

),

touched_keys as (

    select {{ clean_text('event_id') }} as event_id
    from new_raw_rows
    union
    select event_id
    from staged
    where quarantine_reason is not null
    union
    select staged.event_id
    from staged
    left join current_leads
        on staged.lead_id = current_leads.lead_id
    where staged.quarantine_reason is null and current_leads.lead_id is null

),

{% endif -%}
source as (

    select * from {{ source('marketing', 'marketing_events') }}
    {%- if since is not none %}
    where {{ touched_raw_rows('event_id', since) }}
    {%- endif %}

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
        {{ clean_code('form_budget_status') }} as form_budget_status_text,
        _loaded_at as loaded_at
    from source

),

with_lead as (

    select
        cleaned.*,
        leads.lead_id as known_lead_id
    from cleaned
    left join leads
        on cleaned.lead_id = leads.lead_id

),

-- of several rows for one event id, a usable one wins (then the earliest); the others are
-- quarantined as duplicates
{{ ranked_by_key(
    'with_lead',
    'event_id',
    'case when occurred_at is null or event_type is null or known_lead_id is null then 1 else 0 end,'
    ~ ' occurred_at, event_type'
) }},

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
        value_issue,
        loaded_at
    from checked

)

select * from final
