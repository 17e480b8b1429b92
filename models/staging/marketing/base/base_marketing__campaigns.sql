{{ config(tags=['quarantine']) }}
with

source as (

    select * from {{ source('marketing', 'campaigns') }}

),

cleaned as (

    select
        {{ clean_text('campaign_id') }} as campaign_id,
        {{ clean_text('campaign_name') }} as campaign_name,
        {{ clean_code('channel') }} as channel,
        {{ clean_text('started_at') }} as started_at_text,
        {{ parse_timestamp_utc('started_at') }} as started_at,
        {{ clean_text('cost_usd') }} as cost_usd_text,
        {{ try_cast(clean_text('cost_usd'), type_double()) }} as cost_usd_parsed
    from source

),

ranked as (

    -- no version column: of several rows for one campaign, a deterministic one wins
    -- (a parseable cost first); the others are quarantined as duplicates
    select
        *,
        row_number() over (
            partition by campaign_id
            order by
                case when cost_usd_parsed is null then 1 else 0 end asc,
                started_at desc nulls last,
                campaign_name asc
        ) as key_rank
    from cleaned

),

checked as (

    select
        *,
        case
            when campaign_id is null then 'missing_required_field:campaign_id'
            when key_rank > 1 then 'duplicate_key:campaign_id'
        end as quarantine_reason,
        case
            when started_at_text is not null and started_at is null then 'unparseable_timestamp:started_at'
            when cost_usd_text is not null and cost_usd_parsed is null then 'unparseable_number:cost_usd'
            when cost_usd_parsed < 0 then 'invalid_value:cost_usd'
        end as value_issue
    from ranked

),

final as (

    select
        campaign_id,
        campaign_name,
        channel,
        started_at,
        case when cost_usd_parsed >= 0 then cost_usd_parsed end as cost_usd,
        {{ key_text(['campaign_id']) }} as record_key,
        quarantine_reason,
        value_issue
    from checked

)

select * from final
