-- Why sales rejects leads (issue 14): one row per month (of the rejection, UTC) x dimension x
-- dimension value x rejection reason, counting rejection dispositions (lead_dispositions).
-- Dimensions: `campaign` (the lead's campaign_id), `lead_source`, `score_band` (the band of the
-- lead's running score when sales rejected it, seed score_bands) and `rep` (who rejected it).
-- A missing value is '(none)'. Each dimension counts every rejection once, so the shares of one
-- month x dimension x value add up to 1.
with

rejections as (

    select * from {{ ref('lead_dispositions') }}
    where status = 'rejected'

),

dated as (

    select
        cast({{ dbt.date_trunc('month', 'disposed_at') }} as date) as month_start_date,
        rejection_reason,
        coalesce(campaign_id, '(none)') as campaign_value,
        coalesce(lead_source, '(none)') as lead_source_value,
        coalesce(score_band_at_disposition, '(none)') as score_band_value,
        coalesce(rep_id, '(none)') as rep_value
    from rejections

),

by_dimension as (

    select
        month_start_date,
        'campaign' as dimension,
        campaign_value as dimension_value,
        rejection_reason
    from dated
    union all
    select
        month_start_date,
        'lead_source' as dimension,
        lead_source_value as dimension_value,
        rejection_reason
    from dated
    union all
    select
        month_start_date,
        'score_band' as dimension,
        score_band_value as dimension_value,
        rejection_reason
    from dated
    union all
    select
        month_start_date,
        'rep' as dimension,
        rep_value as dimension_value,
        rejection_reason
    from dated

),

counted as (

    select
        month_start_date,
        dimension,
        dimension_value,
        rejection_reason,
        count(*) as rejections
    from by_dimension
    group by month_start_date, dimension, dimension_value, rejection_reason

),

final as (

    select
        month_start_date,
        dimension,
        dimension_value,
        rejection_reason,
        cast(rejections as integer) as rejections,
        cast(sum(rejections) over (partition by month_start_date, dimension, dimension_value) as integer)
            as dimension_value_rejections,
        cast(
            cast(rejections as {{ type_double() }})
            / sum(rejections) over (partition by month_start_date, dimension, dimension_value)
            as {{ type_double() }}
        ) as share_of_rejections,
        {{ as_of() }} as rejections_as_of_at
    from counted

)

select * from final
