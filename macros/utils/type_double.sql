{#- A 64-bit floating-point type. dbt.type_float() is a 32-bit `float` on DuckDB (about seven
    significant digits: 123456789 becomes 123456792), too coarse for money. -#}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double', 'lead_handoff')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    double precision
{%- endmacro %}

{% macro duckdb__type_double() -%}
    double
{%- endmacro %}

{% macro spark__type_double() -%}
    double
{%- endmacro %}
