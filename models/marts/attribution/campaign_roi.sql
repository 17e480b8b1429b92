-- Campaign return on investment (contract section 4): one row per campaign x attribution
-- model, for every clean campaign and every campaign id the touches name, plus a row with
-- campaign_id null for what no campaign touched. Lead counts are sourced counts - the lead's
-- first campaign touch (the campaign on the lead record at creation, else its earliest campaign
-- event) - identical under every model; pipeline and won revenue follow the model
-- (campaign_attribution). roi = (won revenue - cost) / cost.
with

campaigns as (

    select * from {{ ref('stg_marketing__campaigns') }}

),

attribution_models as (

    select * from {{ ref('attribution_models') }}

),

attribution as (

    select * from {{ ref('campaign_attribution') }}

),

touches as (

    select * from {{ ref('int_marketing_touches_collected') }}
    where touch_kind = 'campaign'

),

leads as (

    select * from {{ ref('leads') }}

),

ranked_lead_touches as (

    select
        lead_id,
        touch_key as campaign_id,
        row_number() over (
            partition by lead_id
            order by touched_at, case when touch_source = 'lead_record' then 0 else 1 end, touch_id
        ) as touch_rank
    from touches

),

sourced_leads as (

    select
        leads.lead_id,
        ranked_lead_touches.campaign_id,
        leads.mql_at,
        leads.sql_at
    from leads
    left join ranked_lead_touches
        on leads.lead_id = ranked_lead_touches.lead_id and ranked_lead_touches.touch_rank = 1

),

lead_counts as (

    select
        campaign_id,
        count(*) as leads,
        sum(case when mql_at is not null then 1 else 0 end) as mqls,
        sum(case when sql_at is not null then 1 else 0 end) as sqls
    from sourced_leads
    group by campaign_id

),

influenced as (

    select
        touch_key as campaign_id,
        count(distinct lead_id) as influenced_leads
    from touches
    group by touch_key

),

attributed as (

    select
        campaign_id,
        attribution_model,
        sum(credit) as attributed_opportunities,
        sum(coalesce(attributed_amount_usd, 0)) as pipeline_usd,
        sum(coalesce(attributed_won_amount_usd, 0)) as won_revenue_usd
    from attribution
    group by campaign_id, attribution_model

),

campaign_ids as (

    select campaign_id from campaigns
    union
    select touch_key as campaign_id from touches
    union
    select campaign_id from attribution
    union
    select campaign_id from lead_counts

),

campaign_models as (

    select
        campaign_ids.campaign_id,
        attribution_models.attribution_model
    from campaign_ids
    cross join attribution_models

),

joined as (

    select
        campaign_models.campaign_id,
        campaign_models.attribution_model,
        campaigns.campaign_name,
        campaigns.channel,
        campaigns.started_at,
        campaigns.cost_usd,
        campaigns.campaign_id is not null as is_known_campaign,
        coalesce(lead_counts.leads, 0) as leads,
        coalesce(lead_counts.mqls, 0) as mqls,
        coalesce(lead_counts.sqls, 0) as sqls,
        coalesce(influenced.influenced_leads, 0) as influenced_leads,
        coalesce(attributed.attributed_opportunities, 0) as attributed_opportunities,
        coalesce(attributed.pipeline_usd, 0) as pipeline_usd,
        coalesce(attributed.won_revenue_usd, 0) as won_revenue_usd
    from campaign_models
    left join campaigns
        on campaign_models.campaign_id = campaigns.campaign_id
    left join lead_counts
        on
            campaign_models.campaign_id = lead_counts.campaign_id
            or (campaign_models.campaign_id is null and lead_counts.campaign_id is null)
    left join influenced
        on campaign_models.campaign_id = influenced.campaign_id
    left join attributed
        on
            campaign_models.attribution_model = attributed.attribution_model
            and (
                campaign_models.campaign_id = attributed.campaign_id
                or (campaign_models.campaign_id is null and attributed.campaign_id is null)
            )

),

final as (

    select
        campaign_id,
        attribution_model,
        cast(leads as integer) as leads,
        cast(mqls as integer) as mqls,
        cast(sqls as integer) as sqls,
        cast(pipeline_usd as {{ type_double() }}) as pipeline_usd,
        cast(won_revenue_usd as {{ type_double() }}) as won_revenue_usd,
        cast(cost_usd as {{ type_double() }}) as cost_usd,
        cast(case when cost_usd > 0 then (won_revenue_usd - cost_usd) / cost_usd end as {{ type_double() }}) as roi,
        campaign_name,
        channel,
        started_at,
        is_known_campaign,
        cast(influenced_leads as integer) as influenced_leads,
        cast(attributed_opportunities as {{ type_double() }}) as attributed_opportunities,
        cast(case when leads > 0 then cost_usd / leads end as {{ type_double() }}) as cost_per_lead_usd,
        cast(case when cost_usd > 0 then pipeline_usd / cost_usd end as {{ type_double() }}) as pipeline_to_cost_ratio,
        {{ as_of() }} as roi_as_of_at
    from joined

)

select * from final
