{#- "15 business minutes" or "120 calendar minutes": the escalation window that applied, for
    the routing_reason of an escalation row of `relation`. -#}
{% macro escalation_window_text(relation) -%}
    case
        when
            {{ relation }}.is_window_started_in_working_time
            or {{ relation }}.off_hours_calendar_minutes is null
            then cast({{ relation }}.in_hours_business_minutes as {{ dbt.type_string() }}) || ' business minutes'
        else cast({{ relation }}.off_hours_calendar_minutes as {{ dbt.type_string() }}) || ' calendar minutes'
    end
{%- endmacro %}
