-- The clean rows of raw.campaigns (contract section 1), what every model downstream reads:
-- base_marketing__campaigns keeps every raw row with its quarantine reason (listed in quarantined_records); here
-- only the rows without one, so no consumer can forget the filter.
with

base as (

    select * from {{ ref('base_marketing__campaigns') }}
    where quarantine_reason is null

),

final as (

    select
        campaign_id,
        campaign_name,
        channel,
        started_at,
        cost_usd
    from base

)

select * from final
