-- Why a lead scores what it scores (one row per lead x scoring rule that fired x dimension, as
-- of as_of): a projection of int_lead_score_reasons_explained, where the logic and its tests
-- live.
with

score_reasons as (

    select * from {{ ref('int_lead_score_reasons_explained') }}

),

final as (

    select
        lead_id,
        rule_kind,
        rule_id,
        dimension,
        base_points,
        current_points,
        score_contribution,
        times_fired,
        first_fired_at,
        last_fired_at,
        first_source_event_id,
        last_source_event_id,
        reason_text,
        score_as_of_at
    from score_reasons

)

select * from final
