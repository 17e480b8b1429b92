{#- Cast that yields null instead of failing on a value that does not parse, so a bad
    raw row is quarantined rather than breaking the build. -#}
{% macro try_cast(expression, data_type) -%}
    {{ return(adapter.dispatch('try_cast', 'lead_handoff')(expression, data_type)) }}
{%- endmacro %}

{% macro default__try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{#- PostgreSQL has no try_cast: guard the cast with the shape of a valid literal. -#}
{% macro postgres__try_cast(expression, data_type) -%}
    {%- set shapes = {
        'timestamp': '^\s*\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?\s*(Z|[+-]00(:?00)?)?\s*$',
        'date': '^\s*\d{4}-\d{2}-\d{2}\s*$',
        'integer': '^\s*[+-]?\d{1,9}(\.0*)?\s*$',
        'bigint': '^\s*[+-]?\d{1,18}(\.0*)?\s*$',
        'double': '^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$',
    } -%}
    {%- set shape = shapes.get(data_type | lower | replace(' precision', '')) -%}
    {%- if shape is none -%}
        cast({{ expression }} as {{ data_type }})
    {%- else -%}
        case
            when cast({{ expression }} as text) ~ '{{ shape }}'
                then cast(cast({{ expression }} as text) as {{ data_type }})
        end
    {%- endif -%}
{%- endmacro %}
