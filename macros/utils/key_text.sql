{#- A row's natural key as one text, for the quarantine listing: the parts joined with '|',
    a missing part shown as '(missing)'. Pass the raw text of timestamps so an unparseable
    value still identifies its row. -#}
{% macro key_text(expressions) -%}
    {%- for expression in expressions -%}
        coalesce(cast({{ expression }} as {{ dbt.type_string() }}), '(missing)')
        {%- if not loop.last %} || '|' || {% endif -%}
    {%- endfor -%}
{%- endmacro %}
