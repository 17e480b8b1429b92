{#- An email that identifies nobody but still reads as one: first letter, then the domain
    (j***@acme.com). Alerts carry this, never the address. -#}
{% macro mask_email(expression) -%}
    case
        when {{ expression }} like '%@%'
            then substring({{ expression }}, 1, 1) || '***@' || {{ dbt.split_part(expression, "'@'", 2) }}
    end
{%- endmacro %}
