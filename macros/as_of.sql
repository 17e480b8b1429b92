{#- The run's notion of "now" (contract section 3): var('as_of') or, when unset,
    the moment the dbt invocation started. Rendered as a literal so a build is
    reproducible and every model of one run agrees on the same instant. -#}
{% macro as_of() -%}
    {%- set as_of_var = var('as_of', none) -%}
    {%- if as_of_var is none or as_of_var == '' -%}
        {%- set as_of_text = run_started_at.strftime('%Y-%m-%d %H:%M:%S') -%}
    {%- else -%}
        {%- set as_of_text = as_of_var | string -%}
        {%- if not modules.re.match('^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?$', as_of_text) -%}
            {{ exceptions.raise_compiler_error("var as_of must be a UTC timestamp 'YYYY-MM-DD HH:MM:SS', got '" ~ as_of_text ~ "'") }}
        {%- endif -%}
    {%- endif -%}
    cast('{{ as_of_text | replace("T", " ") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}
