-- Content attribution (issue 14): one row per content asset (content_id) x attribution model.
-- The same models as campaign_attribution, over the lead's events that carry a content_id:
-- for every opportunity with a content touch in the model's lookback, the content credits sum
-- to 1 (int_attribution_touches_credited); opportunities without one are not counted here.
-- Lead counts are the leads that engaged with the asset up to as_of, identical under every model.
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
    where touch_kind = 'content'

),

touches as (

    select * from {{ ref('int_marketing_touches_collected') }}
    where touch_kind = 'content'

),

leads as (

    select * from {{ ref('leads') }}

),

engaged_leads as (

    select
        touches.touch_key as content_id,
        count(distinct touches.lead_id) as engaged_leads,
        count(distinct case when leads.mql_at is not null then touches.lead_id end) as mqls,
        count(distinct case when leads.sql_at is not null then touches.lead_id end) as sqls,
        min(touches.touched_at) as first_touched_at,
        max(touches.touched_at) as last_touched_at
    from touches
    inner join leads
        on touches.lead_id = leads.lead_id
    group by touches.touch_key

),

content_credits as (

    select
        credited_touches.touch_key as content_id,
        credited_touches.attribution_model,
        credited_touches.opportunity_id,
        sum(credited_touches.credit) as credit
    from credited_touches
    group by credited_touches.touch_key, credited_touches.attribution_model, credited_touches.opportunity_id

),

attributed as (

    select
        content_credits.content_id,
        content_credits.attribution_model,
        sum(content_credits.credit) as attributed_opportunities,
        sum(content_credits.credit * coalesce(opportunities.amount_usd, 0)) as pipeline_usd,
        sum(
            case
                when {{ is_won_by_as_of('opportunities') }}
                    then content_credits.credit * coalesce(opportunities.amount_usd, 0)
                else 0
            end
        ) as won_revenue_usd
    from content_credits
    inner join opportunities
        on content_credits.opportunity_id = opportunities.opportunity_id
    group by content_credits.content_id, content_credits.attribution_model

),

content_models as (

    select
        engaged_leads.*,
        attribution_models.attribution_model
    from engaged_leads
    cross join attribution_models

),

final as (

    select
        content_models.content_id,
        content_models.attribution_model,
        cast(content_models.engaged_leads as integer) as engaged_leads,
        cast(content_models.mqls as integer) as mqls,
        cast(content_models.sqls as integer) as sqls,
        cast(coalesce(attributed.attributed_opportunities, 0) as {{ type_double() }}) as attributed_opportunities,
        cast(coalesce(attributed.pipeline_usd, 0) as {{ type_double() }}) as pipeline_usd,
        cast(coalesce(attributed.won_revenue_usd, 0) as {{ type_double() }}) as won_revenue_usd,
        content_models.first_touched_at,
        content_models.last_touched_at,
        {{ as_of() }} as roi_as_of_at
    from content_models
    left join attributed
        on
            content_models.content_id = attributed.content_id
            and content_models.attribution_model = attributed.attribution_model

)

select * from final
