{#- Cast that yields null instead of failing on a value that does not parse, so a bad
    raw row is quarantined rather than breaking the build. -#}
{% macro try_cast(expression, data_type) -%}
    {{ return(adapter.dispatch('try_cast', 'lead_handoff')(expression, data_type)) }}
{%- endmacro %}

{% macro default__try_cast(expression, data_type) -%}
    try_cast({{ expression }} as {{ data_type }})
{%- endmacro %}

{#- PostgreSQL has no try_cast: guard the cast with the shape of a valid literal, shaped to read
    what DuckDB's try_cast reads, the same way (checked value by value against DuckDB):
      - timestamp / date: year first, '-' or '/' between the parts, one- or two-digit month, day
        and hour, an optional fraction (digits past the microsecond are cut, as DuckDB does) and
        UTC marker (Z, +00, +00:00, ' UTC'); a date may carry a time, which is dropped;
      - integer / bigint: a decimal or exponent literal, rounded half away from zero
        ('12.5' -> 13), null outside the type's range;
      - double: a decimal or exponent literal.
    The shape alone is not enough where PostgreSQL would still raise: a day that does not exist
    in its month ('2026-02-30'), year 0, an integer out of range; nested cases check those.
    Null here although DuckDB reads them: non-UTC offsets (DuckDB drops the offset), hour 24,
    inf / nan, hex and '1_000' digit groups. -#}
{% macro postgres__try_cast(expression, data_type) -%}
    {%- set text_value = 'cast(' ~ expression ~ ' as text)' -%}
    {%- set number = '[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d{1,2})?' -%}
    {%- set date_part = '(\\d{4})[-/](0?[1-9]|1[0-2])[-/](0?[1-9]|[12]\\d|3[01])' -%}
    {%- set time_part = '([ T]([01]?\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d+)?)?)?' -%}
    {%- set utc_marker = '(\\s*(Z|[+-]00(:?00)?)| [Uu][Tt][Cc])?' -%}
    {%- set shapes = {
        'timestamp': '^\\s*' ~ date_part ~ time_part ~ utc_marker ~ '\\s*$',
        'date': '^\\s*' ~ date_part ~ time_part ~ utc_marker ~ '\\s*$',
        'integer': '^\\s*' ~ number ~ '\\s*$',
        'bigint': '^\\s*' ~ number ~ '\\s*$',
        'double': '^\\s*' ~ number ~ '\\s*$',
    } -%}
    {%- set ranges = {
        'integer': ['-2147483648.5', '2147483647.5'],
        'bigint': ['-9223372036854775808.5', '9223372036854775807.5'],
    } -%}
    {%- set type_key = data_type | lower | replace(' precision', '') -%}
    {%- set shape = shapes.get(type_key) -%}
    {%- if shape is none -%}
        cast({{ expression }} as {{ data_type }})
    {%- elif type_key in ('timestamp', 'date') -%}
        {%- set date_match = 'regexp_match(' ~ text_value ~ ", '^\\s*" ~ date_part ~ "')" -%}
        {%- set year = 'cast((' ~ date_match ~ ')[1] as integer)' -%}
        {%- set month = 'cast((' ~ date_match ~ ')[2] as integer)' -%}
        {%- set day = 'cast((' ~ date_match ~ ')[3] as integer)' -%}
        {#- nested case: PostgreSQL evaluates the inner tests only for a well-shaped value, in order -#}
        case
            when {{ text_value }} ~ '{{ shape }}'
                then case
                    when {{ year }} = 0 then null
                    when extract(day from make_date({{ year }}, {{ month }}, 1) + ({{ day }} - 1)) = {{ day }}
                        then cast(regexp_replace({{ text_value }}, '(\.\d{6})\d+', '\1') as {{ data_type }})
                end
        end
    {%- elif type_key in ranges -%}
        case
            when {{ text_value }} ~ '{{ shape }}'
                then case
                    when cast({{ text_value }} as numeric) > {{ ranges[type_key][0] }}
                        and cast({{ text_value }} as numeric) < {{ ranges[type_key][1] }}
                        then cast(cast({{ text_value }} as numeric) as {{ data_type }})
                end
        end
    {%- else -%}
        case
            when {{ text_value }} ~ '{{ shape }}'
                then cast({{ text_value }} as {{ data_type }})
        end
    {%- endif -%}
{%- endmacro %}
