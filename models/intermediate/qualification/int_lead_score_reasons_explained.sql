-- Why a lead scores what it scores: every rule that fired (int_lead_score_rules_fired) with
-- its share of the score. `score_contribution` spreads each dimension's score (as of as_of)
-- over its rules in proportion to their current points, so a capped dimension is shared out
-- and the contributions add up to the lead's total_score; `reason_text` says it in words.
with

rules_fired as (

    select * from {{ ref('int_lead_score_rules_fired') }}

),

scores_as_of as (

    select * from {{ ref('int_lead_scores_current') }}

),

with_scores as (

    select
        rules_fired.*,
        case rules_fired.dimension
            {{ dimension_sum("when '{d}' then scores_as_of.{d}_raw_points", ' ') }}
        end as dimension_raw_points,
        case rules_fired.dimension
            {{ dimension_sum("when '{d}' then scores_as_of.{d}_score", ' ') }}
        end as dimension_score
    from rules_fired
    inner join scores_as_of
        on rules_fired.lead_id = scores_as_of.lead_id

),

final as (

    select
        lead_id,
        rule_kind,
        rule_id,
        dimension,
        base_points,
        current_points,
        case
            when dimension_raw_points = 0 then 0.0
            else current_points * dimension_score / dimension_raw_points
        end as score_contribution,
        times_fired,
        first_fired_at,
        last_fired_at,
        first_source_event_id,
        last_source_event_id,
        case rule_kind
            when 'event_points' then matched_value || ' x' || cast(times_fired as {{ dbt.type_string() }})
            when 'activity_burst' then 'burst of ' || matched_value
            when 'form_answer' then matched_value
            when 'job_title_seniority' then 'title ' || matched_value
            when 'company_size_band' then 'size ' || rule_id || ' (' || matched_value || ')'
            when 'revenue_band' then 'revenue ' || rule_id
            when 'icp_industry' then 'industry ' || matched_value
            when 'icp_technology' then 'uses ' || rule_id
            when 'revenue_growth_band' then 'growth ' || rule_id || ' (' || matched_value || ')'
            when 'country_territory' then 'country ' || rule_id
            else rule_kind || ' ' || rule_id
        end as reason_text,
        {{ as_of() }} as score_as_of_at
    from with_scores

)

select * from final
