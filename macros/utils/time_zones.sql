{#- Local wall-clock timestamp in an IANA zone -> UTC timestamp (DST aware). -#}
{% macro local_to_utc(local_timestamp, time_zone) -%}
    {{ return(adapter.dispatch('local_to_utc', 'lead_handoff')(local_timestamp, time_zone)) }}
{%- endmacro %}

{% macro duckdb__local_to_utc(local_timestamp, time_zone) -%}
    timezone('UTC', timezone({{ time_zone }}, {{ local_timestamp }}))
{%- endmacro %}

{% macro postgres__local_to_utc(local_timestamp, time_zone) -%}
    (({{ local_timestamp }}) at time zone ({{ time_zone }})) at time zone 'UTC'
{%- endmacro %}

{% macro spark__local_to_utc(local_timestamp, time_zone) -%}
    to_utc_timestamp({{ local_timestamp }}, {{ time_zone }})
{%- endmacro %}

{#- UTC timestamp -> local wall-clock timestamp in an IANA zone. -#}
{% macro utc_to_local(utc_timestamp, time_zone) -%}
    {{ return(adapter.dispatch('utc_to_local', 'lead_handoff')(utc_timestamp, time_zone)) }}
{%- endmacro %}

{% macro duckdb__utc_to_local(utc_timestamp, time_zone) -%}
    timezone({{ time_zone }}, timezone('UTC', {{ utc_timestamp }}))
{%- endmacro %}

{% macro postgres__utc_to_local(utc_timestamp, time_zone) -%}
    (({{ utc_timestamp }}) at time zone 'UTC') at time zone ({{ time_zone }})
{%- endmacro %}

{% macro spark__utc_to_local(utc_timestamp, time_zone) -%}
    from_utc_timestamp({{ utc_timestamp }}, {{ time_zone }})
{%- endmacro %}

{#- A relation with one column `time_zone_name`: the IANA names the engine understands. -#}
{% macro time_zone_names() -%}
    {{ return(adapter.dispatch('time_zone_names', 'lead_handoff')()) }}
{%- endmacro %}

{% macro duckdb__time_zone_names() -%}
    (select name as time_zone_name from pg_timezone_names())
{%- endmacro %}

{% macro postgres__time_zone_names() -%}
    (select name as time_zone_name from pg_timezone_names)
{%- endmacro %}

{#- Spark has no catalog of zone names: the IANA names Python's tz database knows (pytz, which
    dbt ships), inlined at compile time. Spark's Java reads the same IANA names. -#}
{% macro spark__time_zone_names() -%}
    (select explode(array(
        {%- for name in modules.pytz.all_timezones -%}
            '{{ name }}'{% if not loop.last %}, {% endif %}
        {%- endfor -%}
    )) as time_zone_name)
{%- endmacro %}
