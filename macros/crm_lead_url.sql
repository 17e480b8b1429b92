{#- Where a lead opens in the CRM: var('crm_lead_url_prefix') || lead_id. The CRM feed and the
    alerts link the same way. -#}
{% macro crm_lead_url(lead_id) -%}
    '{{ var("crm_lead_url_prefix") }}' || {{ lead_id }}
{%- endmacro %}
