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
