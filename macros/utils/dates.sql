{#- Seconds since the Unix epoch as a number, for exact durations and numeric range windows. -#}
{% macro epoch_seconds(timestamp_expression) -%}
    {{ return(adapter.dispatch('epoch_seconds', 'lead_handoff')(timestamp_expression)) }}
{%- endmacro %}

{% macro default__epoch_seconds(timestamp_expression) -%}
    extract(epoch from {{ timestamp_expression }})
{%- endmacro %}

{#- PostgreSQL's extract(epoch ...) is a numeric; a double, as on DuckDB, keeps durations and the
    columns built from them the same type on both engines. -#}
{% macro postgres__epoch_seconds(timestamp_expression) -%}
    cast(extract(epoch from {{ timestamp_expression }}) as double precision)
{%- endmacro %}

{#- unix_timestamp() drops the fraction of a second: count microseconds, as DuckDB's epoch() does. -#}
{% macro spark__epoch_seconds(timestamp_expression) -%}
    cast(unix_micros(cast({{ timestamp_expression }} as timestamp)) as double) / 1000000
{%- endmacro %}

{#- Exact minutes elapsed from one instant to another (fractional; dbt.datediff counts
    boundaries crossed, which is not a duration). -#}
{% macro minutes_between(start_timestamp, end_timestamp) -%}
    (({{ epoch_seconds(end_timestamp) }}) - ({{ epoch_seconds(start_timestamp) }})) / 60.0
{%- endmacro %}

{#- Three-letter lower-case weekday of a date: mon, tue, ... sun. -#}
{% macro weekday_abbr(date_expression) -%}
    {{ return(adapter.dispatch('weekday_abbr', 'lead_handoff')(date_expression)) }}
{%- endmacro %}

{% macro default__weekday_abbr(date_expression) -%}
    case cast(extract(dow from {{ date_expression }}) as integer)
        when 0 then 'sun'
        when 1 then 'mon'
        when 2 then 'tue'
        when 3 then 'wed'
        when 4 then 'thu'
        when 5 then 'fri'
        when 6 then 'sat'
    end
{%- endmacro %}

{% macro spark__weekday_abbr(date_expression) -%}
    lower(date_format({{ date_expression }}, 'EEE'))
{%- endmacro %}
