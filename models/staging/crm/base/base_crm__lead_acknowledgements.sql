-- A table: the incremental SLA facts read its load watermarks several times per build
-- (macros/handoff/sla_increment.sql), so the parsing and dedup run once.
{{ config(materialized='table', tags=['quarantine']) }}
with

source as (

    select * from {{ source('crm', 'lead_acknowledgements') }}

),

leads as (

    select * from {{ ref('stg_crm__leads') }}

),

reps as (

    select * from {{ ref('stg_crm__sales_reps') }}

),

cleaned as (

    select
        {{ clean_text('lead_id') }} as lead_id,
        {{ clean_text('rep_id') }} as rep_id,
        {{ clean_text('acknowledged_at') }} as acknowledged_at_text,
        {{ parse_timestamp_utc('acknowledged_at') }} as acknowledged_at,
        _loaded_at as loaded_at
    from source

),

ranked as (

    -- the same acknowledgement delivered twice (same lead, rep and instant) counts once
    select
        cleaned.*,
        leads.lead_id as known_lead_id,
        reps.rep_id as known_rep_id,
        row_number() over (
            partition by cleaned.lead_id, cleaned.rep_id, cleaned.acknowledged_at
            order by cleaned.acknowledged_at_text
        ) as key_rank
    from cleaned
    left join leads
        on cleaned.lead_id = leads.lead_id
    left join reps
        on cleaned.rep_id = reps.rep_id

),

checked as (

    select
        *,
        case
            when lead_id is null then 'missing_required_field:lead_id'
            when rep_id is null then 'missing_required_field:rep_id'
            when acknowledged_at_text is null then 'missing_required_field:acknowledged_at'
            when acknowledged_at is null then 'unparseable_timestamp:acknowledged_at'
            when known_lead_id is null then 'orphan_foreign_key:lead_id'
            when known_rep_id is null then 'orphan_foreign_key:rep_id'
            when key_rank > 1 then 'duplicate_key:acknowledged_at'
        end as quarantine_reason
    from ranked

),

final as (

    select
        lead_id,
        rep_id,
        acknowledged_at,
        {{ key_text(['lead_id', 'rep_id', 'acknowledged_at_text']) }} as record_key,
        quarantine_reason,
        cast(null as {{ dbt.type_string() }}) as value_issue,
        loaded_at
    from checked

)

select * from final
