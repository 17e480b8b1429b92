{#- The fortnightly lead quality review (issue 14): every `quality_review_cycle_days` days
    (reviews on var('quality_review_anchor_date') + k x that many days, at 00:00 UTC, up to
    as_of) a stratified sample of the leads handed off in the cycle before the review, with why
    they went where they went. Strata are judged with what was known at the review: `converted`
    (an opportunity created after handoff, or a converted disposition, by the review),
    `rejected` (the latest verdict by the review is a rejection), `in_evaluation` (neither).
    Each stratum draws up to its sample_size (seed quality_review_strata) leads in the order of
    a hash of lead id and review date: reproducible, and a different draw every review. -#}
{%- set cycle_days = var('quality_review_cycle_days') -%}
{%- set anchor_date = "cast('" ~ var('quality_review_anchor_date') ~ "' as date)" -%}
{%- set days_since_anchor = dbt.datediff(anchor_date, 'cast(handoff_at as date)', 'day') -%}
{%- set draw_key = "stratified.lead_id || '|' || cast(stratified.review_date as " ~ dbt.type_string() ~ ")" -%}
with

handed_off as (

    select * from {{ ref('int_lead_outcomes_joined') }}

),

dispositions as (

    select * from {{ ref('stg_crm__lead_dispositions') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}
    where lead_id is not null

),

strata as (

    select * from {{ ref('quality_review_strata') }}

),

cycle_numbers as (

    -- the review that follows the handoff: anchor + (floor(days since anchor / cycle) + 1) cycles
    select
        lead_id,
        floor(
            cast({{ days_since_anchor }} as {{ type_double() }}) / {{ cycle_days }}
        ) + 1 as review_cycle_number
    from handed_off

),

lead_reviews as (

    select
        handed_off.*,
        cast(
            {{ dbt.dateadd('day', 'cast(cycle_numbers.review_cycle_number as integer) * ' ~ cycle_days, anchor_date) }}
            as date
        ) as review_date
    from handed_off
    inner join cycle_numbers
        on handed_off.lead_id = cycle_numbers.lead_id

),

reviewed_leads as (

    select
        *,
        cast(review_date as {{ dbt.type_timestamp() }}) as review_at
    from lead_reviews
    where cast(review_date as {{ dbt.type_timestamp() }}) <= {{ as_of() }}

),

ranked_verdicts as (

    select
        reviewed_leads.lead_id,
        dispositions.status,
        dispositions.rejection_reason,
        row_number() over (
            partition by reviewed_leads.lead_id
            order by dispositions.disposed_at desc, dispositions.disposition_id desc
        ) as verdict_rank
    from reviewed_leads
    inner join dispositions
        on
            reviewed_leads.lead_id = dispositions.lead_id
            and reviewed_leads.review_at >= dispositions.disposed_at

),

latest_verdicts as (

    select * from ranked_verdicts
    where verdict_rank = 1

),

conversions as (

    select
        reviewed_leads.lead_id,
        min(opportunities.opportunity_id) as opportunity_id
    from reviewed_leads
    inner join opportunities
        on
            reviewed_leads.lead_id = opportunities.lead_id
            and reviewed_leads.handoff_at <= opportunities.created_at
            and reviewed_leads.review_at >= opportunities.created_at
    group by reviewed_leads.lead_id

),

converted_dispositions as (

    select distinct reviewed_leads.lead_id
    from reviewed_leads
    inner join dispositions
        on
            reviewed_leads.lead_id = dispositions.lead_id
            and dispositions.status = 'converted'
            and reviewed_leads.review_at >= dispositions.disposed_at

),

stratified as (

    select
        reviewed_leads.*,
        latest_verdicts.status as latest_status_at_review,
        conversions.opportunity_id as opportunity_id_at_review,
        case when latest_verdicts.status = 'rejected' then latest_verdicts.rejection_reason end as rejection_reason,
        case
            when conversions.lead_id is not null or converted_dispositions.lead_id is not null then 'converted'
            when latest_verdicts.status = 'rejected' then 'rejected'
            else 'in_evaluation'
        end as stratum,
        case
            when reviewed_leads.first_valid_touch_at <= reviewed_leads.review_at
                then reviewed_leads.first_valid_touch_at
        end as first_valid_touch_at_review
    from reviewed_leads
    left join latest_verdicts
        on reviewed_leads.lead_id = latest_verdicts.lead_id
    left join conversions
        on reviewed_leads.lead_id = conversions.lead_id
    left join converted_dispositions
        on reviewed_leads.lead_id = converted_dispositions.lead_id

),

drawn as (

    select
        stratified.*,
        strata.sample_size,
        row_number() over (
            partition by stratified.review_date, stratified.stratum
            order by
                {{ dbt.hash(draw_key) }},
                stratified.lead_id
        ) as sample_rank,
        count(*) over (partition by stratified.review_date, stratified.stratum) as stratum_leads
    from stratified
    inner join strata
        on stratified.stratum = strata.stratum

),

sampled as (

    select
        *,
        case
            when first_valid_touch_at_review is not null and first_valid_touch_at_review <= sla_due_at then 'met'
            when first_valid_touch_at_review is not null then 'breached'
            when sla_due_at < review_at then 'breached'
            else 'pending'
        end as sla_status_at_review,
        case when first_valid_touch_at_review is not null then response_business_minutes end
            as response_business_minutes_at_review
    from drawn
    where sample_rank <= sample_size

),

final as (

    select
        review_date,
        cast({{ dbt.dateadd('day', -cycle_days, 'review_date') }} as date) as review_cycle_start_date,
        stratum,
        cast(sample_rank as integer) as sample_rank,
        cast(stratum_leads as integer) as stratum_leads,
        lead_id,
        priority_tier,
        team,
        sla_rep_id,
        handoff_at,
        campaign_id,
        lead_source,
        cast(handoff_total_score as {{ type_double() }}) as handoff_total_score,
        top_score_reasons,
        latest_status_at_review,
        rejection_reason,
        opportunity_id_at_review,
        first_valid_touch_at_review,
        cast(response_business_minutes_at_review as {{ type_double() }}) as response_business_minutes_at_review,
        sla_status_at_review,
        'score '
        || coalesce(cast(cast({{ round_to('handoff_total_score') }} as integer) as {{ dbt.type_string() }}), '?')
        || ' at handoff (tier ' || cast(priority_tier as {{ dbt.type_string() }}) || ')'
        || coalesce(': ' || top_score_reasons, '')
        || case
            when stratum = 'converted' then '; converted'
            when stratum = 'rejected' then '; rejected: ' || coalesce(rejection_reason, 'no reason')
            else '; ' || coalesce('latest verdict ' || latest_status_at_review, 'no verdict yet')
        end
        || case
            when first_valid_touch_at_review is not null
                then '; first valid touch after '
                    || coalesce(
                        cast(
                            cast(
                                {{ round_to('response_business_minutes_at_review') }} as integer
                            ) as {{ dbt.type_string() }}
                        ),
                        '?'
                    )
                    || ' business minutes (SLA ' || sla_status_at_review || ')'
            else '; no valid touch by the review (SLA ' || sla_status_at_review || ')'
        end as review_summary,
        {{ as_of() }} as sample_as_of_at
    from sampled

)

select * from final
