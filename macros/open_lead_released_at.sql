{#- When an assigned lead stops counting against its rep's capacity: when it closes (a
    closing disposition), or after var('open_lead_window_days') without closing, whichever
    comes first, and never before it was assigned. -#}
{% macro open_lead_released_at(assigned_at, closed_at) -%}
    {%- set stale_at = dbt.dateadd('day', var('open_lead_window_days'), assigned_at) -%}
    greatest({{ assigned_at }}, least(coalesce({{ closed_at }}, {{ stale_at }}), {{ stale_at }}))
{%- endmacro %}
