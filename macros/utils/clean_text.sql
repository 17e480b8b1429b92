{#- Trimmed text with empty strings as null: connectors disagree on how to say "no value". -#}
{% macro clean_text(expression) -%}
    nullif(trim(cast({{ expression }} as {{ dbt.type_string() }})), '')
{%- endmacro %}

{#- Lower-cased clean text, for codes and enums compared against rules. -#}
{% macro clean_code(expression) -%}
    lower({{ clean_text(expression) }})
{%- endmacro %}
