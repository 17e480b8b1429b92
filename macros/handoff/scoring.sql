{#- The four score dimensions of the contract (their scores are columns of the leads mart:
    budget_authority_score, need_score, timeline_score, fit_score). Their weights, caps and
    half-lives are rows of seed scoring_dimensions; the names are the contract's, so models loop
    over this list instead of writing each dimension out. -#}
{% macro scoring_dimensions() -%}
    {{ return(['budget_authority', 'need', 'timeline', 'fit']) }}
{%- endmacro %}

{#- Behavioural points halve every half_life_days: the factor a point earned age_days ago is
    worth now, 2^(-age / H); 1 when the dimension does not decay (H null). The running score
    uses the inverse growth 2^(t / H) so that a window sum divided by it is the decayed sum. -#}
{% macro decay_factor(age_days, half_life_days) -%}
    case when {{ half_life_days }} is null then 1.0 else power(2.0, -({{ age_days }}) / {{ half_life_days }}) end
{%- endmacro %}

{% macro growth_factor(age_days, half_life_days) -%}
    case when {{ half_life_days }} is null then 1.0 else power(2.0, ({{ age_days }}) / {{ half_life_days }}) end
{%- endmacro %}

{#- A pivot of per-dimension values: `<dimension>_<suffix>` = the `value` of rows whose
    `dimension_column` is that dimension, aggregated with `aggregate` (sum or max). -#}
{% macro pivot_dimensions(dimension_column, value, suffix, aggregate='max', otherwise='null') -%}
    {%- for dimension in scoring_dimensions() %}
        {{ aggregate }}(case when {{ dimension_column }} = '{{ dimension }}' then {{ value }} else {{ otherwise }} end)
            as {{ dimension }}_{{ suffix }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{#- One select item per dimension from a template: every `{d}` becomes the dimension's name,
    e.g. dimension_columns('0 as {d}_steady_change'). Items are comma-separated. -#}
{% macro dimension_columns(template) -%}
    {%- for dimension in scoring_dimensions() -%}
        {{ template | replace('{d}', dimension) }}{{ ',\n        ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#- One expression per dimension from a template, joined by `operator` (e.g. ' + '). -#}
{% macro dimension_sum(template, operator=' + ') -%}
    {%- for dimension in scoring_dimensions() -%}
        {{ template | replace('{d}', dimension) }}{{ operator if not loop.last }}
    {%- endfor -%}
{%- endmacro %}

{#- The dimension rules (seed scoring_dimensions, CTE `scoring_dimensions`) pivoted to one row:
    <d>_weight, <d>_max_points, <d>_half_life_days, <d>_is_engagement. -#}
{% macro dimension_parameters_row() -%}
    select
        {{ pivot_dimensions('dimension', 'weight', 'weight') }},
        {{ pivot_dimensions('dimension', 'max_points', 'max_points') }},
        {{ pivot_dimensions('dimension', 'half_life_days', 'half_life_days') }},
        {{ dimension_columns(
            "max(case when dimension = '{d}' and is_engagement then 1 else 0 end) = 1 as {d}_is_engagement"
        ) }}
    from scoring_dimensions
{%- endmacro %}

{#- The MQL rule (seed lifecycle_thresholds, CTE `lifecycle_thresholds`) as one row: always
    one; a null total (nobody qualifies by score) if the mql row is missing; a null fit or
    engagement minimum is no minimum. -#}
{% macro mql_threshold_row() -%}
    select
        max(min_total_score) as min_total_score,
        max(min_fit_score) as min_fit_score,
        max(min_engagement_score) as min_engagement_score
    from lifecycle_thresholds
    where stage = 'mql'
{%- endmacro %}

{#- dimension score = weight x least(greatest(raw points, 0), max_points) / max_points -#}
{% macro dimension_score_columns() -%}
    {{ dimension_columns(
        '{d}_weight * least(greatest({d}_raw_points, 0), {d}_max_points) / {d}_max_points as {d}_score'
    ) }}
{%- endmacro %}

{#- total and engagement score of the <d>_score columns (engagement = is_engagement dimensions) -#}
{% macro total_score_columns() -%}
    {{ dimension_sum('{d}_score') }} as total_score,
    {{ dimension_sum('case when {d}_is_engagement then {d}_score else 0 end') }} as engagement_score
{%- endmacro %}

{#- The MQL columns of a scored row `scored` against the one-row `threshold` (mql_threshold_row). -#}
{% macro mql_rule_columns(scored, threshold) -%}
    {{ threshold }}.min_total_score as mql_threshold,
    {{ scored }}.total_score,
    coalesce({{ scored }}.fit_score >= {{ threshold }}.min_fit_score, true) as is_fit_minimum_met,
    coalesce(
        {{ scored }}.total_score >= {{ threshold }}.min_total_score
        and coalesce({{ scored }}.fit_score >= {{ threshold }}.min_fit_score, true)
        and coalesce({{ scored }}.engagement_score >= {{ threshold }}.min_engagement_score, true),
        false
    ) as is_mql_threshold_met
{%- endmacro %}
