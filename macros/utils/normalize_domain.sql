{#- A web domain as accounts and rules compare it: lower case, no scheme, no `www.`,
    no path, no trailing dot. -#}
{% macro normalize_domain(expression) -%}
    nullif(
        regexp_replace(
            regexp_replace(
                regexp_replace({{ clean_code(expression) }}, '^[a-z]+://', ''),
                '^www[.]', ''
            ),
            '[/:?#].*$|[.]$', ''
        ),
        ''
    )
{%- endmacro %}
