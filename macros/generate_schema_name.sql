{#- Custom schemas are used as-is (staging, intermediate, marts, rules), so the
    contract's marts land in one stable schema other systems can read. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
