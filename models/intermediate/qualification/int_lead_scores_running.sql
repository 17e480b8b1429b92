-- The running score: one row per lead x scoring moment (int_lead_score_moments) and a last
-- row per lead at as_of (int_lead_scores_current), for the models that read a lead's score at
-- any instant (its peak, the score at handoff or at a disposition). A view: nothing is stored
-- twice.
{{ config(materialized='view') }}

with

moments as (

    select * from {{ ref('int_lead_score_moments') }}

),

current_scores as (

    select * from {{ ref('int_lead_scores_current') }}

),

final as (

    select
        lead_id,
        moment_at,
        moment_kind,
        moment_order,
        attribute_version_number,
        event_id,
        event_type,
        is_explicit_intent,
        {{ dimension_columns('{d}_raw_points') }},
        {{ dimension_columns('{d}_score') }},
        engagement_score,
        mql_threshold,
        total_score,
        is_fit_minimum_met,
        is_mql_threshold_met
    from moments
    union all
    select
        lead_id,
        moment_at,
        'as_of' as moment_kind,
        2 as moment_order,
        attribute_version_number,
        cast(null as {{ dbt.type_string() }}) as event_id,
        cast(null as {{ dbt.type_string() }}) as event_type,
        false as is_explicit_intent,
        {{ dimension_columns('{d}_raw_points') }},
        {{ dimension_columns('{d}_score') }},
        engagement_score,
        mql_threshold,
        total_score,
        is_fit_minimum_met,
        is_mql_threshold_met
    from current_scores

)

select * from final
