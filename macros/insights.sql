{#- Helpers of the closed-loop marts (issue 14, docs/insights.md). -#}

{#- An opportunity counts as won at as_of: flagged won and closed at or before as_of (a won
    opportunity without a close date counts from its creation). `alias` prefixes the columns
    is_won, closed_at and created_at. -#}
{% macro is_won_by_as_of(alias=none) -%}
    {%- set prefix = alias ~ '.' if alias else '' -%}
    (coalesce({{ prefix }}is_won, false) and coalesce({{ prefix }}closed_at, {{ prefix }}created_at) <= {{ as_of() }})
{%- endmacro %}

{#- A CTE body: per row of `relation`, the lead's running total score in effect at the instant
    `instant_column` (the last scoring moment of int_lead_scores_running at or before it, in the
    running score's own order), as `output_column`, keyed by `key_column`. Rows without a
    scoring moment by then are left out. -#}
{% macro running_score_at(relation, key_column, instant_column, output_column) -%}
    select
        scored.{{ key_column }},
        scored.total_score as {{ output_column }}
    from (
        select
            score_source.{{ key_column }},
            running_scores.total_score,
            row_number() over (
                partition by score_source.{{ key_column }}
                order by
                    running_scores.moment_at desc,
                    running_scores.moment_order desc,
                    running_scores.attribute_version_number desc,
                    running_scores.event_id desc
            ) as moment_rank
        from {{ relation }} as score_source
        inner join {{ ref('int_lead_scores_running') }} as running_scores
            on
                score_source.lead_id = running_scores.lead_id
                and running_scores.moment_at <= score_source.{{ instant_column }}
    ) as scored
    where scored.moment_rank = 1
{%- endmacro %}
