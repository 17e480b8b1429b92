{#- Select-list expression that fans one row out into rows numbered 1..n
    (n an integer column). Used for the round-robin slots of a routing batch. -#}
{% macro sequence_rows(count_expression) -%}
    {{ return(adapter.dispatch('sequence_rows', 'lead_handoff')(count_expression)) }}
{%- endmacro %}

{% macro duckdb__sequence_rows(count_expression) -%}
    unnest(generate_series(1, cast({{ count_expression }} as bigint)))
{%- endmacro %}

{% macro postgres__sequence_rows(count_expression) -%}
    generate_series(1, cast({{ count_expression }} as integer))
{%- endmacro %}

{% macro spark__sequence_rows(count_expression) -%}
    explode(sequence(1, cast({{ count_expression }} as int)))
{%- endmacro %}
