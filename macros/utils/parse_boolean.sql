{#- Booleans arrive as true/false, yes/no, y/n, t/f or 1/0 depending on the connector. -#}
{% macro parse_boolean(expression) -%}
    case lower(trim(cast({{ expression }} as {{ dbt.type_string() }})))
        when 'true' then true
        when 't' then true
        when 'yes' then true
        when 'y' then true
        when '1' then true
        when 'false' then false
        when 'f' then false
        when 'no' then false
        when 'n' then false
        when '0' then false
    end
{%- endmacro %}
