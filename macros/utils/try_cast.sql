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
    {%- set literal = try_cast_shapes() -%}
    {%- set number = literal.number -%}
    {%- set date_part = literal.date_part -%}
    {%- set time_part = literal.time_part -%}
    {%- set utc_marker = literal.utc_marker -%}
    {%- set ranges = literal.ranges -%}
    {%- set shapes = {
        'timestamp': '^\\s*' ~ date_part ~ time_part ~ utc_marker ~ '\\s*$',
        'date': '^\\s*' ~ date_part ~ time_part ~ utc_marker ~ '\\s*$',
        'integer': '^\\s*' ~ number ~ '\\s*$',
        'bigint': '^\\s*' ~ number ~ '\\s*$',
        'double': '^\\s*' ~ number ~ '\\s*$',
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

{#- Spark's try_cast reads less than DuckDB's ('2026/03/01', '12.5' as an integer) and more
    (non-UTC offsets, converted): the same guard as PostgreSQL's, then a normalised text cast,
    so Spark reads exactly what PostgreSQL reads. -#}
{% macro spark__try_cast(expression, data_type) -%}
    {%- set text_value = 'trim(cast(' ~ expression ~ ' as string))' -%}
    {%- set shapes = try_cast_shapes() -%}
    {%- set number = shapes.number -%}
    {%- set type_key = data_type | lower | replace(' precision', '') -%}
    {%- set ranges = shapes.ranges -%}
    {%- if type_key in ('timestamp', 'date') -%}
        {%- set shape = spark_regex_literal(
            "'^" ~ shapes.date_part ~ shapes.time_part ~ shapes.utc_marker ~ "$'") -%}
        {%- set without_marker = 'regexp_replace(' ~ text_value ~ ', '
            ~ spark_regex_literal("'" ~ shapes.utc_marker ~ "$'") ~ ", '')" -%}
        {%- set normalised = 'regexp_replace(regexp_replace(' ~ without_marker ~ ", '/', '-'), "
            ~ spark_regex_literal("'(\\.\\d{6})\\d+'") ~ ", '$1')" -%}
        case when {{ text_value }} rlike {{ shape }} then cast({{ normalised }} as {{ data_type }}) end
    {%- elif type_key in ranges -%}
        {%- set shape = spark_regex_literal("'^" ~ number ~ "$'") -%}
        {%- set exact = 'cast(' ~ text_value ~ ' as decimal(38, 10))' -%}
        case
            when {{ text_value }} rlike {{ shape }}
                and {{ exact }} > {{ ranges[type_key][0] }}
                and {{ exact }} < {{ ranges[type_key][1] }}
                then cast(round({{ exact }}) as {{ data_type }})
        end
    {%- elif type_key == 'double' -%}
        case
            when {{ text_value }} rlike {{ spark_regex_literal("'^" ~ number ~ "$'") }}
                then cast({{ text_value }} as double)
        end
    {%- else -%}
        try_cast({{ expression }} as {{ engine_data_type(data_type) }})
    {%- endif -%}
{%- endmacro %}

{#- What the guarded casts read: the shapes of valid literals (regular expressions that POSIX and
    Java read alike) and the open ranges of the integer types (rounded values must fit). -#}
{% macro try_cast_shapes() -%}
    {{ return({
        'number': '[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d{1,2})?',
        'date_part': '(\\d{4})[-/](0?[1-9]|1[0-2])[-/](0?[1-9]|[12]\\d|3[01])',
        'time_part': '([ T]([01]?\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d+)?)?)?',
        'utc_marker': '(\\s*(Z|[+-]00(:?00)?)| [Uu][Tt][Cc])?',
        'ranges': {
            'integer': ['-2147483648.5', '2147483647.5'],
            'int': ['-2147483648.5', '2147483647.5'],
            'bigint': ['-9223372036854775808.5', '9223372036854775807.5'],
        },
    }) }}
{%- endmacro %}
