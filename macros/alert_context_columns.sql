{#- The lead facts every outbound message needs, from int_leads_alert_context: one list for
    crm_assignment_sync and sla_alerts, so the CRM task and the alerts tell the same story. -#}
{% macro alert_context_columns(relation) -%}
    {%- for column in [
        'lead_name', 'job_title', 'priority_tier_name', 'total_score', 'top_score_reasons',
        'trigger_event_type', 'trigger_event_at', 'industry', 'employee_count', 'tech_stack'
    ] %}
        {{ relation }}.{{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
