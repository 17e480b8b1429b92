{#- The default working calendar (contract section 2): an unassigned lead's SLA runs on it.
    It is a calendar row like a rep's, keyed by default_calendar_rep_id() in
    int_calendar_reps, built from var('default_calendar') (dbt_project.yml). -#}
{% macro default_calendar_rep_id() -%}
    {{ return('__default_calendar__') }}
{%- endmacro %}

{#- 'HH:MM' -> minutes after local midnight; a wrong value fails the compilation with its name. -#}
{% macro default_calendar_minute(setting) -%}
    {%- set text = var('default_calendar')[setting] | string -%}
    {%- set match = modules.re.match('^([01]?[0-9]|2[0-4]):([0-5][0-9])$', text) -%}
    {%- if not match or (match.group(1) | int) * 60 + (match.group(2) | int) > 1440 -%}
        {{ exceptions.raise_compiler_error("var default_calendar." ~ setting ~ " must be 'HH:MM', got '" ~ text ~ "'") }}
    {%- endif -%}
    {{ return((match.group(1) | int) * 60 + (match.group(2) | int)) }}
{%- endmacro %}
