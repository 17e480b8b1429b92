{#- The credit every touch earns for an opportunity under every attribution model (seed
    attribution_models; docs/insights.md): one row per opportunity x touch kind x model x touch.
    The touches of an opportunity are its lead's touches (int_marketing_touches_collected) at
    or before the opportunity's creation and at most `lookback_days` older. A touch earns each
    role's weight it holds - first (earliest instant), lead creation (latest instant at or before
    the lead's creation, else the earliest), last (latest instant) - shared equally by the
    touches at that instant; touches holding no role the model weighs share the middle weight; every touch gets an
    equal share of the even weight and a share of the time-decay weight proportional to
    2^(-age / half_life_days). The raw weights are rescaled to sum to 1 per opportunity, kind
    and model, so a role nobody holds (no middle touch) gives its weight to the others. -#}
with

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}
    where lead_id is not null and created_at <= {{ as_of() }}

),

touches as (

    select * from {{ ref('int_marketing_touches_collected') }}

),

attribution_models as (

    select * from {{ ref('attribution_models') }}

),

opportunity_touches as (

    select
        opportunities.opportunity_id,
        opportunities.created_at as opportunity_created_at,
        touches.lead_id,
        touches.lead_created_at,
        touches.touch_kind,
        touches.touch_key,
        touches.touch_source,
        touches.touch_id,
        touches.touched_at,
        {{ minutes_between('touches.touched_at', 'opportunities.created_at') }} / 1440.0 as touch_age_days
    from opportunities
    inner join touches
        on
            opportunities.lead_id = touches.lead_id
            and opportunities.created_at >= touches.touched_at

),

windowed as (

    select
        opportunity_touches.*,
        attribution_models.attribution_model,
        attribution_models.first_touch_weight,
        attribution_models.lead_creation_weight,
        attribution_models.last_touch_weight,
        attribution_models.middle_weight,
        attribution_models.even_weight,
        attribution_models.time_decay_weight,
        case
            when attribution_models.half_life_days is not null
                then power(0.5, opportunity_touches.touch_age_days / attribution_models.half_life_days)
            else 0
        end as decay_factor
    from opportunity_touches
    inner join attribution_models
        on opportunity_touches.touch_age_days <= attribution_models.lookback_days

),

positioned as (

    select
        *,
        min(touched_at) over touch_set as first_touched_at,
        max(touched_at) over touch_set as last_touched_at,
        coalesce(
            max(case when touched_at <= lead_created_at then touched_at end) over touch_set,
            min(touched_at) over touch_set
        ) as lead_creation_touched_at
    from windowed
    window touch_set as (partition by opportunity_id, touch_kind, attribution_model)

),

roles as (

    select
        *,
        touched_at = first_touched_at as is_first_touch,
        touched_at = lead_creation_touched_at as is_lead_creation_touch,
        touched_at = last_touched_at as is_last_touch,
        -- the middle: touches holding no role that this model weighs
        not(
            (touched_at = first_touched_at and first_touch_weight > 0)
            or (touched_at = lead_creation_touched_at and lead_creation_weight > 0)
            or (touched_at = last_touched_at and last_touch_weight > 0)
        ) as is_middle_touch
    from positioned

),

role_counts as (

    select
        *,
        count(*) over touch_set as touch_count,
        sum(case when is_first_touch then 1 else 0 end) over touch_set as first_touch_count,
        sum(case when is_lead_creation_touch then 1 else 0 end) over touch_set as lead_creation_touch_count,
        sum(case when is_last_touch then 1 else 0 end) over touch_set as last_touch_count,
        sum(case when is_middle_touch then 1 else 0 end) over touch_set as middle_touch_count,
        sum(decay_factor) over touch_set as decay_factor_total
    from roles
    window touch_set as (partition by opportunity_id, touch_kind, attribution_model)

),

weighted as (

    select
        *,
        case when is_first_touch then first_touch_weight / first_touch_count else 0 end
        + case when is_lead_creation_touch then lead_creation_weight / lead_creation_touch_count else 0 end
        + case when is_last_touch then last_touch_weight / last_touch_count else 0 end
        + case when is_middle_touch then middle_weight / middle_touch_count else 0 end
        + even_weight / touch_count
        + case when decay_factor_total > 0 then time_decay_weight * decay_factor / decay_factor_total else 0 end
            as raw_weight
    from role_counts

),

totals as (

    select
        *,
        sum(raw_weight) over (partition by opportunity_id, touch_kind, attribution_model) as raw_weight_total
    from weighted

),

final as (

    select
        opportunity_id,
        touch_kind,
        attribution_model,
        touch_key,
        touch_source,
        touch_id,
        lead_id,
        touched_at,
        opportunity_created_at,
        lead_created_at,
        touch_age_days,
        is_first_touch,
        is_lead_creation_touch,
        is_last_touch,
        is_middle_touch,
        touch_count,
        raw_weight,
        -- a model whose every weight sits on roles nobody holds falls back to an even split;
        -- 10 decimals: identical on every engine, and still summing to 1 within 1e-9
        {{ round_to(
            'case when raw_weight_total > 0 then raw_weight / raw_weight_total else 1.0 / touch_count end', 10
        ) }} as credit
    from totals

)

select * from final
