{#- Cast that yields null instead of failing on a value that does not parse, so a bad
    raw row is quarantined rather than breaking the build. -#}
{% macro try_cast(expression, data_type) -%}
    {{ return(adapter.dispatch('try_cast', 'lead_handoff')(expression, data_type)) }}
{%- endmacro %}

{% macro default__try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{#- PostgreSQL has no try_cast: guard the cast with the shape of a valid literal. The shape
    alone is not enough where PostgreSQL would still raise: a day that does not exist in its
    month ('2026-02-30'), an hour past 23, or '12.0' cast straight to an integer. -#}
{% macro postgres__try_cast(expression, data_type) -%}
    {%- set text_value = 'cast(' ~ expression ~ ' as text)' -%}
    {%- set calendar_date = '\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])' -%}
    {%- set shapes = {
        'timestamp': '^\s*' ~ calendar_date
            ~ '([ T]([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?)?\s*(Z|[+-]00(:?00)?)?\s*$',
        'date': '^\s*' ~ calendar_date ~ '\s*$',
        'integer': '^\s*[+-]?\d{1,9}(\.0*)?\s*$',
        'bigint': '^\s*[+-]?\d{1,18}(\.0*)?\s*$',
        'double': '^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,2})?\s*$',
    } -%}
    {%- set type_key = data_type | lower | replace(' precision', '') -%}
    {%- set shape = shapes.get(type_key) -%}
    {%- if shape is none -%}
        cast({{ expression }} as {{ data_type }})
    {%- elif type_key in ('timestamp', 'date') -%}
        {%- set day_number = "cast(substring(" ~ text_value ~ " from '\d{4}-\d{2}-(\d{2})') as integer)" -%}
        {#- nested case: PostgreSQL evaluates the inner test only for a well-shaped value -#}
        case
            when {{ text_value }} ~ '{{ shape }}'
                then case
                    when extract(day from
                        cast(substring({{ text_value }} from '\d{4}-\d{2}') || '-01' as date)
                        + ({{ day_number }} - 1)
                    ) = {{ day_number }}
                        then cast({{ text_value }} as {{ data_type }})
                end
        end
    {%- elif type_key in ('integer', 'bigint') -%}
        case
            when {{ text_value }} ~ '{{ shape }}'
                then cast(cast({{ text_value }} as numeric) as {{ data_type }})
        end
    {%- else -%}
        case
            when {{ text_value }} ~ '{{ shape }}'
                then cast({{ text_value }} as {{ data_type }})
        end
    {%- endif -%}
{%- endmacro %}
