-- Closed-loop campaign attribution (contract section 4): one row per opportunity x campaign x
-- attribution model. Every clean opportunity created at or before as_of is here under every
-- model: its campaign credits (int_attribution_touches_credited) sum to 1, and one without a
-- campaign touch in the model's lookback (or without a lead) has one row with campaign_id null
-- and credit 1, so attributed amounts always reconcile to the opportunities.
with

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}
    where created_at <= {{ as_of() }}

),

attribution_models as (

    select * from {{ ref('attribution_models') }}

),

credited_touches as (

    select * from {{ ref('int_attribution_touches_credited') }}
    where touch_kind = 'campaign'

),

campaign_credits as (

    select
        opportunity_id,
        touch_key as campaign_id,
        attribution_model,
        sum(credit) as credit,
        count(*) as touch_count,
        min(touched_at) as first_touched_at,
        max(touched_at) as last_touched_at
    from credited_touches
    group by opportunity_id, touch_key, attribution_model

),

opportunity_models as (

    select
        opportunities.opportunity_id,
        opportunities.lead_id,
        opportunities.created_at,
        opportunities.amount_usd,
        {{ is_won_by_as_of('opportunities') }} as is_won,
        attribution_models.attribution_model
    from opportunities
    cross join attribution_models

),

credits as (

    select
        opportunity_models.*,
        campaign_credits.campaign_id,
        campaign_credits.first_touched_at,
        campaign_credits.last_touched_at,
        coalesce(campaign_credits.credit, 1.0) as credit,
        coalesce(campaign_credits.touch_count, 0) as touch_count,
        campaign_credits.opportunity_id is not null as is_attributed
    from opportunity_models
    left join campaign_credits
        on
            opportunity_models.opportunity_id = campaign_credits.opportunity_id
            and opportunity_models.attribution_model = campaign_credits.attribution_model

),

final as (

    select
        opportunity_id,
        campaign_id,
        attribution_model,
        cast(credit as {{ type_double() }}) as credit,
        cast(credit * amount_usd as {{ type_double() }}) as attributed_amount_usd,
        is_attributed,
        lead_id,
        created_at as opportunity_created_at,
        cast(amount_usd as {{ type_double() }}) as opportunity_amount_usd,
        is_won,
        case when is_won then cast(credit * amount_usd as {{ type_double() }}) else 0 end as attributed_won_amount_usd,
        cast(touch_count as integer) as touch_count,
        first_touched_at,
        last_touched_at,
        {{ as_of() }} as attribution_as_of_at
    from credits

)

select * from final
