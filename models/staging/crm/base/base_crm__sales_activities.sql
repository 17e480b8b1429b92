-- Incremental (macros/handoff/raw_increment.sql): a run stages again only the activity ids
-- touched since the last one (new raw rows), the ids with a quarantined row or an unknown rep
-- (the lead or rep may have arrived, a duplicate may lose to a new row) and the rows whose lead
-- or rep is gone; all rows of such an id are ranked and checked again, so the table equals a
-- full build's.
{{
    config(
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='activity_id',
        on_schema_change='append_new_columns',
        pre_hook="{{ delete_all_when_restaged(source('crm', 'sales_activities')) }}",
        tags=['quarantine']
    )
}}
{%- set since = raw_increment_since(source('crm', 'sales_activities')) %}

with

{% if since is not none -%}
new_raw_rows as (

    select * from {{ source('crm', 'sales_activities') }}
    where {{ loaded_after(since) }}

),

staged as (

    select * from {{ this }}

),

current_leads as (

    select * from {{ ref('stg_crm__leads') }}

),

current_reps as (

    select * from {{ ref('stg_crm__sales_reps') }}

),

touched_keys as (

    select {{ clean_text('activity_id') }} as activity_id
    from new_raw_rows
    union
    select activity_id
    from staged
    where quarantine_reason is not null or value_issue = 'orphan_foreign_key:rep_id'
    union
    select staged.activity_id
    from staged
    left join current_leads
        on staged.lead_id = current_leads.lead_id
    left join current_reps
        on staged.rep_id = current_reps.rep_id
    where
        staged.quarantine_reason is null and current_leads.lead_id is null
        or staged.rep_id is not null and current_reps.rep_id is null

),

{% endif -%}
source as (

    select * from {{ source('crm', 'sales_activities') }}
    {%- if since is not none %}
    where {{ touched_raw_rows('activity_id', since) }}
    {%- endif %}

),

leads as (

    select * from {{ ref('stg_crm__leads') }}

),

reps as (

    select * from {{ ref('stg_crm__sales_reps') }}

),

cleaned as (

    select
        {{ clean_text('activity_id') }} as activity_id,
        {{ clean_text('lead_id') }} as lead_id,
        {{ clean_text('rep_id') }} as rep_id_text,
        {{ clean_text('occurred_at') }} as occurred_at_text,
        {{ parse_timestamp_utc('occurred_at') }} as occurred_at,
        {{ clean_code('channel') }} as channel,
        {{ clean_code('direction') }} as direction,
        {{ clean_text('is_automated') }} as is_automated_text,
        {{ parse_boolean('is_automated') }} as is_automated,
        {{ clean_text('is_personalized') }} as is_personalized_text,
        {{ parse_boolean('is_personalized') }} as is_personalized,
        {{ clean_code('call_outcome') }} as call_outcome_text,
        _loaded_at as loaded_at
    from source

),

with_lead_and_rep as (

    select
        cleaned.*,
        leads.lead_id as known_lead_id,
        reps.rep_id as known_rep_id
    from cleaned
    left join leads
        on cleaned.lead_id = leads.lead_id
    left join reps
        on cleaned.rep_id_text = reps.rep_id

),

-- of several rows for one activity id, a usable one wins (then the earliest); the others are
-- quarantined as duplicates
{{ ranked_by_key(
    'with_lead_and_rep',
    'activity_id',
    'case when occurred_at is null or known_lead_id is null or channel is null'
    ~ ' or not ' ~ in_contract_enum('channel', 'channel')
    ~ ' or not coalesce(' ~ in_contract_enum('direction', 'direction') ~ ', true) then 1 else 0 end,'
    ~ ' occurred_at, rep_id_text'
) }},

checked as (

    select
        *,
        case
            when activity_id is null then 'missing_required_field:activity_id'
            when lead_id is null then 'missing_required_field:lead_id'
            when occurred_at_text is null then 'missing_required_field:occurred_at'
            when channel is null then 'missing_required_field:channel'
            when occurred_at is null then 'unparseable_timestamp:occurred_at'
            when key_rank > 1 then 'duplicate_key:activity_id'
            when known_lead_id is null then 'orphan_foreign_key:lead_id'
            when not {{ in_contract_enum('channel', 'channel') }} then 'unknown_enum_value:channel'
            -- a missing direction is allowed (meetings often have none); an unknown one is not
            when not {{ in_contract_enum('direction', 'direction') }} then 'unknown_enum_value:direction'
        end as quarantine_reason,
        case
            when rep_id_text is not null and known_rep_id is null then 'orphan_foreign_key:rep_id'
            when call_outcome_text is not null and not {{ in_contract_enum('call_outcome_text', 'call_outcome') }}
                then 'unknown_enum_value:call_outcome'
            when is_automated_text is not null and is_automated is null then 'unparseable_boolean:is_automated'
            when is_personalized_text is not null and is_personalized is null
                then 'unparseable_boolean:is_personalized'
        end as value_issue
    from ranked

),

final as (

    select
        activity_id,
        lead_id,
        known_rep_id as rep_id,
        occurred_at,
        channel,
        direction,
        is_automated,
        is_personalized,
        case
            when {{ in_contract_enum('call_outcome_text', 'call_outcome') }} then call_outcome_text
        end as call_outcome,
        {{ key_text(['activity_id']) }} as record_key,
        quarantine_reason,
        value_issue,
        loaded_at
    from checked

)

select * from final
