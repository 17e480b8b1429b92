{{ config(tags=['quarantine']) }}
with

source as (

    select * from {{ source('crm', 'opportunities') }}

),

leads as (

    select * from {{ ref('stg_crm__leads') }}

),

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

cleaned as (

    select
        {{ clean_text('opportunity_id') }} as opportunity_id,
        {{ clean_text('lead_id') }} as lead_id_text,
        {{ clean_text('account_id') }} as account_id_text,
        {{ clean_text('created_at') }} as created_at_text,
        {{ parse_timestamp_utc('created_at') }} as created_at,
        {{ clean_code('stage') }} as stage,  -- noqa: RF04
        {{ clean_text('amount_usd') }} as amount_usd_text,
        {{ try_cast(clean_text('amount_usd'), type_double()) }} as amount_usd_parsed,
        {{ clean_text('is_closed') }} as is_closed_text,
        {{ parse_boolean('is_closed') }} as is_closed,
        {{ clean_text('is_won') }} as is_won_text,
        {{ parse_boolean('is_won') }} as is_won,
        {{ clean_text('closed_at') }} as closed_at_text,
        {{ parse_timestamp_utc('closed_at') }} as closed_at
    from source

),

ranked as (

    -- no version column: of several rows for one opportunity, a usable one wins, then the
    -- most advanced (closed, latest close); the others are quarantined as duplicates
    select
        cleaned.*,
        leads.lead_id as known_lead_id,
        accounts.account_id as known_account_id,
        row_number() over (
            partition by cleaned.opportunity_id
            order by
                case when cleaned.created_at is null then 1 else 0 end asc,
                cleaned.is_closed desc nulls last,
                cleaned.closed_at desc nulls last,
                cleaned.created_at desc,
                cleaned.stage asc
        ) as key_rank
    from cleaned
    left join leads
        on cleaned.lead_id_text = leads.lead_id
    left join accounts
        on cleaned.account_id_text = accounts.account_id

),

checked as (

    select
        *,
        case
            when opportunity_id is null then 'missing_required_field:opportunity_id'
            when created_at_text is null then 'missing_required_field:created_at'
            when created_at is null then 'unparseable_timestamp:created_at'
            when key_rank > 1 then 'duplicate_key:opportunity_id'
        end as quarantine_reason,
        case
            when lead_id_text is not null and known_lead_id is null then 'orphan_foreign_key:lead_id'
            when account_id_text is not null and known_account_id is null then 'orphan_foreign_key:account_id'
            when amount_usd_text is not null and amount_usd_parsed is null then 'unparseable_number:amount_usd'
            when amount_usd_parsed < 0 then 'invalid_value:amount_usd'
            when is_closed_text is not null and is_closed is null then 'unparseable_boolean:is_closed'
            when is_won_text is not null and is_won is null then 'unparseable_boolean:is_won'
            when closed_at_text is not null and closed_at is null then 'unparseable_timestamp:closed_at'
        end as value_issue
    from ranked

),

final as (

    select
        opportunity_id,
        known_lead_id as lead_id,
        known_account_id as account_id,
        created_at,
        stage,
        case when amount_usd_parsed >= 0 then amount_usd_parsed end as amount_usd,
        is_closed,
        is_won,
        closed_at,
        {{ key_text(['opportunity_id']) }} as record_key,
        quarantine_reason,
        value_issue
    from checked

)

select * from final
