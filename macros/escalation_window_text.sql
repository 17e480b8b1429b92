{#- "15 business minutes", "120 calendar minutes", or, when the off-hours window capped a
    window that started inside working time, "120 calendar minutes (the cap on 15 business
    minutes)": the escalation window that applied, for the routing_reason of an escalation row
    of `relation` (columns window_started_at, window_ends_at, is_window_started_in_working_time,
    in_hours_business_minutes, off_hours_calendar_minutes). -#}
{% macro escalation_window_text(relation) -%}
    {%- set business = 'cast(' ~ relation ~ '.in_hours_business_minutes as ' ~ dbt.type_string() ~ ")" -%}
    {%- set calendar = 'cast(' ~ relation ~ '.off_hours_calendar_minutes as ' ~ dbt.type_string() ~ ")" -%}
    case
        when {{ relation }}.off_hours_calendar_minutes is null
            then {{ business }} || ' business minutes'
        when not {{ relation }}.is_window_started_in_working_time
            then {{ calendar }} || ' calendar minutes'
        when {{ is_calendar_capped(relation ~ '.window_started_at', relation ~ '.window_ends_at',
            relation ~ '.off_hours_calendar_minutes') }}
            then {{ calendar }} || ' calendar minutes (the cap on ' || {{ business }} || ' business minutes)'
        else {{ business }} || ' business minutes'
    end
{%- endmacro %}

{#- Whether a deadline that started inside working time was set by the off-hours cap
    (start + off_hours_calendar_minutes) rather than by the business minutes. -#}
{% macro is_calendar_capped(start_column, due_column, calendar_minutes_column) -%}
    ({{ due_column }} = {{ add_exact_minutes(start_column, calendar_minutes_column) }})
{%- endmacro %}
