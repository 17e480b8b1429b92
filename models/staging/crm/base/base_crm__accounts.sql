{{ config(tags=['quarantine']) }}
with

source as (

    select * from {{ source('crm', 'accounts') }}

),

reps as (

    select * from {{ ref('stg_crm__sales_reps') }}

),

cleaned as (

    select
        {{ clean_text('account_id') }} as account_id,
        {{ normalize_domain('domain') }} as domain,  -- noqa: RF04
        {{ clean_text('account_name') }} as account_name,
        {{ clean_text('owner_rep_id') }} as owner_rep_id_text,
        {{ clean_text('is_customer') }} as is_customer_text,
        {{ parse_boolean('is_customer') }} as is_customer
    from source

),

ranked as (

    -- no version column: of several rows for one account, the one with a known owner wins,
    -- then a deterministic order; the others are quarantined as duplicates
    select
        cleaned.*,
        reps.rep_id as owner_rep_id,
        row_number() over (
            partition by cleaned.account_id
            order by
                case when reps.rep_id is null then 1 else 0 end,
                cleaned.domain,
                cleaned.account_name,
                cleaned.owner_rep_id_text
        ) as key_rank
    from cleaned
    left join reps
        on cleaned.owner_rep_id_text = reps.rep_id

),

checked as (

    select
        *,
        case
            when account_id is null then 'missing_required_field:account_id'
            when key_rank > 1 then 'duplicate_key:account_id'
        end as quarantine_reason,
        case
            when owner_rep_id_text is not null and owner_rep_id is null then 'orphan_foreign_key:owner_rep_id'
            when is_customer_text is not null and is_customer is null then 'unparseable_boolean:is_customer'
        end as value_issue
    from ranked

),

final as (

    select
        account_id,
        domain,
        account_name,
        owner_rep_id,
        is_customer,
        {{ key_text(['account_id']) }} as record_key,
        quarantine_reason,
        value_issue
    from checked

)

select * from final
