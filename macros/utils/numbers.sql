{#- A double rounded to `places` decimal places (half away from zero), still a double.
    PostgreSQL has round(x, n) only for numeric, and its round(double) rounds half to even:
    go through numeric and back, so the value, the type and its text match DuckDB. -#}
{% macro round_to(expression, places=0) -%}
    {{ return(adapter.dispatch('round_to', 'lead_handoff')(expression, places)) }}
{%- endmacro %}

{% macro default__round_to(expression, places=0) -%}
    round({{ expression }}{% if places != 0 %}, {{ places }}{% endif %})
{%- endmacro %}

{% macro postgres__round_to(expression, places=0) -%}
    cast(round(cast({{ expression }} as numeric), {{ places }}) as double precision)
{%- endmacro %}

{#- A double as text the way DuckDB writes it, for human-readable messages: a whole number
    below 1e16 keeps one decimal ('2.0', '-0.0', where PostgreSQL alone writes '2', '-0', and
    from 1e15 on '1e+15'), others the shortest exact digits ('0.333', '1e+16'). Null stays null. -#}
{% macro double_text(expression) -%}
    {{ return(adapter.dispatch('double_text', 'lead_handoff')(expression)) }}
{%- endmacro %}

{% macro default__double_text(expression) -%}
    cast({{ expression }} as {{ dbt.type_string() }})
{%- endmacro %}

{% macro postgres__double_text(expression) -%}
    case
        when {{ expression }} <> trunc({{ expression }}) or abs({{ expression }}) >= 1e16
            then cast({{ expression }} as text)
        when abs({{ expression }}) < 1e15 then cast({{ expression }} as text) || '.0'
        else cast(cast({{ expression }} as bigint) as text) || '.0'
    end
{%- endmacro %}

{#- Java writes a double in scientific notation from 1e7 on and below 1e-3 ('1.23456789E8'): whole
    numbers below 1e15 are written as DuckDB does; others in [1e-3, 1e7) read the same anyway. -#}
{% macro spark__double_text(expression) -%}
    case
        when {{ expression }} = floor({{ expression }}) and abs({{ expression }}) < 1e15
            then cast(cast({{ expression }} as bigint) as string) || '.0'
        else cast({{ expression }} as string)
    end
{%- endmacro %}
