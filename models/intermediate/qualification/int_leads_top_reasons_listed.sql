-- Each lead's largest score contributions in words, for people (the leads mart, the messages
-- reps receive): the top var('top_score_reasons_shown') reasons of int_lead_score_reasons_explained
-- that contribute at least var('min_score_reason_points') points, '; '-separated.
with

score_reasons as (

    select * from {{ ref('int_lead_score_reasons_explained') }}
    where score_contribution >= {{ var('min_score_reason_points') }}

),

ranked_reasons as (

    select
        lead_id,
        reason_text || ' (+' || cast(cast(score_contribution as decimal(10, 1)) as {{ dbt.type_string() }})
        || ' ' || dimension || ')' as reason_label,
        row_number() over (
            partition by lead_id
            order by score_contribution desc, rule_kind asc, rule_id asc, dimension asc
        ) as reason_rank
    from score_reasons

),

final as (

    select
        lead_id,
        {{ dbt.listagg('reason_label', "'; '", 'order by reason_rank') }} as top_score_reasons
    from ranked_reasons
    where reason_rank <= {{ var('top_score_reasons_shown') }}
    group by lead_id

)

select * from final
