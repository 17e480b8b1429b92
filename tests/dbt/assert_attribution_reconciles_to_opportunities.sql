-- Attribution loses and invents nothing (issue 14): for every attribution model, the campaign
-- credits of each opportunity sum to 1, and the attributed amounts of all its rows add up to the
-- opportunity's amount; every clean opportunity created by as_of is attributed under every model.
-- The content credits of an opportunity with content touches sum to 1 as well. Failing rows
-- name the opportunity, the model and what is off.
with

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}
    where created_at <= {{ as_of() }}

),

attribution_models as (

    select * from {{ ref('attribution_models') }}

),

attribution as (

    select * from {{ ref('campaign_attribution') }}

),

content_credits as (

    select * from {{ ref('int_attribution_touches_credited') }}
    where touch_kind = 'content'

),

expected as (

    select
        opportunities.opportunity_id,
        opportunities.amount_usd,
        attribution_models.attribution_model
    from opportunities
    cross join attribution_models

),

campaign_totals as (

    select
        opportunity_id,
        attribution_model,
        sum(credit) as credit_total,
        sum(attributed_amount_usd) as attributed_amount_usd
    from attribution
    group by opportunity_id, attribution_model

),

content_totals as (

    select
        opportunity_id,
        attribution_model,
        sum(credit) as credit_total
    from content_credits
    group by opportunity_id, attribution_model

),

campaign_failures as (

    select
        expected.opportunity_id,
        expected.attribution_model,
        case
            when campaign_totals.opportunity_id is null then 'not attributed'
            when abs(campaign_totals.credit_total - 1) > 0.000001 then 'campaign credits do not sum to 1'
            else 'attributed amounts do not add up to amount_usd'
        end as failure
    from expected
    left join campaign_totals
        on
            expected.opportunity_id = campaign_totals.opportunity_id
            and expected.attribution_model = campaign_totals.attribution_model
    where
        campaign_totals.opportunity_id is null
        or abs(campaign_totals.credit_total - 1) > 0.000001
        or abs(coalesce(campaign_totals.attributed_amount_usd, 0) - coalesce(expected.amount_usd, 0)) > 0.01

),

content_failures as (

    select
        opportunity_id,
        attribution_model,
        'content credits do not sum to 1' as failure
    from content_totals
    where abs(credit_total - 1) > 0.000001

),

final as (

    select * from campaign_failures
    union all
    select * from content_failures

)

select * from final
