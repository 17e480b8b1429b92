{#- Business-time arithmetic over the working calendar `int_rep_working_intervals`
    (docs/time_semantics.md; contract section 3).

    The calendar holds one row per rep and working interval (UTC), ordered, with
    cumulative_minutes_before / cumulative_minutes_after: the rep's business minutes from the
    start of the calendar to the interval's start / end. Every lookup is one join to that table
    per instant (see working_interval_joins.sql): nothing is exploded per lead.

      business position of an instant t = business minutes of the rep's calendar before t; an
        instant outside working time sits at the start of the next interval.
      business minutes between a and b = position(b) - position(a) (negative when b < a).
      t + N business minutes = the instant whose position is position(t) + N; counting starts at
        the next working-time start when t is outside working time; a result that ends an
        interval exactly is that interval's end, not the next interval's start.
      inside working time: interval_start_at <= t < interval_end_at (open = inside, close = outside).

    Durations are exact: positions are whole microseconds internally (exposed as fractional
    minutes), instants are computed to the microsecond. A lookup that falls outside the calendar's horizon (or a rep without a clean
    calendar, a null rep or a null instant) yields null, never a wrong value.

    Two layers:
      - relation macros render a whole `select <relation>.*, <new columns> from <relation> ...`
        to use as a CTE body: working_time_position, business_minutes_between,
        add_working_minutes, sla_deadline. Arguments name columns of the relation.
      - expression macros (business_position_microseconds, business_position_minutes,
        is_in_working_time, clock_start_at, instant_at_business_position) read a calendar row
        joined under an alias by join_interval_at_instant / join_interval_reaching_position,
        for hand-written selects.
    strategy (every relation macro): none = adapter default (ASOF join on DuckDB, range join
    elsewhere), 'asof' or 'range' to force one (the tests compare both).
-#}

{#- Upper bound of the calendar's day spine (about 44 years); int_calendar_horizon tests that
    the data-driven horizon fits. Returned as a number: dbt.generate_series compares it with
    integers on engines without a native series (PostgreSQL's default__generate_series). -#}
{% macro calendar_spine_day_limit() -%}
    {{ return(16384) }}
{%- endmacro %}

{#- ---------- expression macros (alias = a calendar row joined with join_interval_at_instant) ----------
    Positions are carried internally as whole microseconds (exact integers in a double), so
    "reaches exactly the end of an interval" is an exact comparison, never a float accident. -#}

{#- Business time of the rep's calendar before the instant, in microseconds. -#}
{% macro business_position_microseconds(instant, alias) -%}
    case
        when {{ instant }} < {{ alias }}.interval_end_at
            then {{ alias }}.cumulative_minutes_before * 60000000 + case
                when {{ instant }} > {{ alias }}.interval_start_at
                    then round(
                        ({{ epoch_seconds(instant) }} - {{ epoch_seconds(alias ~ '.interval_start_at') }}) * 1000000
                    )
                else 0
            end
    end
{%- endmacro %}

{#- Business minutes of the rep's calendar before the instant (fractional). -#}
{% macro business_position_minutes(instant, alias) -%}
    cast(({{ business_position_microseconds(instant, alias) }}) / 60000000.0 as {{ type_double() }})
{%- endmacro %}

{#- True inside working time (interval_start_at <= t < interval_end_at), false outside,
    null when the calendar cannot tell. -#}
{% macro is_in_working_time(instant, alias) -%}
    case
        when {{ instant }} < {{ alias }}.interval_end_at
            then {{ instant }} >= {{ alias }}.interval_start_at
    end
{%- endmacro %}

{#- Where the business clock starts for the instant: the instant itself inside working time,
    else the start of the next working interval. -#}
{% macro clock_start_at(instant, alias) -%}
    case
        when {{ instant }} < {{ alias }}.interval_end_at
            then case
                when {{ instant }} >= {{ alias }}.interval_start_at then {{ instant }}
                else {{ alias }}.interval_start_at
            end
    end
{%- endmacro %}

{#- Fractional minutes as whole microseconds (a double: an integer column times 60000000
    would overflow 32 bits). -#}
{% macro minutes_as_microseconds(minutes) -%}
    round(cast({{ minutes }} as {{ type_double() }}) * 60000000)
{%- endmacro %}

{#- The instant at a business position given in microseconds (> 0). alias = the row joined
    with join_interval_reaching_position on that position / 60000000.0. Exactly the end of an
    interval gives that interval's end. -#}
{% macro instant_at_business_position(position_microseconds, alias) -%}
    case
        when ({{ position_microseconds }}) = {{ alias }}.cumulative_minutes_after * 60000000
            then {{ alias }}.interval_end_at
        when ({{ position_microseconds }}) < {{ alias }}.cumulative_minutes_after * 60000000
            then {{ add_microseconds(
                alias ~ '.interval_start_at',
                'cast((' ~ position_microseconds ~ ') - ' ~ alias ~ '.cumulative_minutes_before * 60000000 as bigint)'
            ) }}
    end
{%- endmacro %}

{#- timestamp + fractional minutes, to the microsecond (dbt.dateadd truncates a fraction). -#}
{% macro add_exact_minutes(timestamp_expression, minutes_expression) -%}
    {{ add_microseconds(timestamp_expression, 'cast(' ~ minutes_as_microseconds(minutes_expression) ~ ' as bigint)') }}
{%- endmacro %}

{#- timestamp + a bigint number of microseconds. On DuckDB dbt.dateadd('microsecond', ...)
    multiplies an interval by a 32-bit integer and overflows past about 35 minutes. -#}
{% macro add_microseconds(timestamp_expression, microseconds_expression) -%}
    {{ return(adapter.dispatch('add_microseconds', 'lead_handoff')(timestamp_expression, microseconds_expression)) }}
{%- endmacro %}

{% macro default__add_microseconds(timestamp_expression, microseconds_expression) -%}
    {{ dbt.dateadd('microsecond', microseconds_expression, timestamp_expression) }}
{%- endmacro %}

{% macro duckdb__add_microseconds(timestamp_expression, microseconds_expression) -%}
    ({{ timestamp_expression }} + to_microseconds({{ microseconds_expression }}))
{%- endmacro %}

{% macro spark__add_microseconds(timestamp_expression, microseconds_expression) -%}
    timestampadd(microsecond, {{ microseconds_expression }}, {{ timestamp_expression }})
{%- endmacro %}

{#- ---------- relation macros ---------- -#}

{#- `handoff_at` -> `handoff`: the name stem of the columns a macro adds for an instant. -#}
{% macro business_time_prefix(instant_column) -%}
    {%- if instant_column.endswith('_at') -%}
        {{ return(instant_column[:-3]) }}
    {%- else -%}
        {{ return(instant_column) }}
    {%- endif -%}
{%- endmacro %}

{% macro business_time_calendar(calendar) -%}
    {{ return(calendar if calendar is not none else ref('int_rep_working_intervals')) }}
{%- endmacro %}

{#- The relation's rows plus, for the instant column (stem = the column without `_at`, or `prefix`):
      <stem>_business_position_minutes  business minutes of the rep's calendar before the instant
      is_<stem>_in_working_time         interval_start_at <= instant < interval_end_at
      <stem>_clock_start_at             the instant inside working time, else the next interval start -#}
{% macro working_time_position(relation, rep_column, instant_column, prefix=none, calendar=none, strategy=none) -%}
    {%- set stem = prefix if prefix is not none else business_time_prefix(instant_column) -%}
    {%- set instant = 'bt_source.' ~ instant_column -%}
    select
        bt_source.*,
        {{ business_position_minutes(instant, 'bt_at') }} as {{ stem }}_business_position_minutes,
        {{ is_in_working_time(instant, 'bt_at') }} as is_{{ stem }}_in_working_time,
        {{ clock_start_at(instant, 'bt_at') }} as {{ stem }}_clock_start_at
    from {{ relation }} as bt_source
    {{ join_interval_at_instant(business_time_calendar(calendar), 'bt_at', 'bt_source.' ~ rep_column, instant,
        strategy) }}
{%- endmacro %}

{#- The relation's rows plus `output_column`: business minutes of the rep's calendar from the
    start instant to the end instant (fractional; negative when the end is before the start). -#}
{% macro business_minutes_between(relation, rep_column, start_column, end_column, output_column,
    calendar=none, strategy=none) -%}
    {%- set calendar_relation = business_time_calendar(calendar) -%}
    {%- set rep = 'bt_source.' ~ rep_column -%}
    select
        bt_source.*,
        cast((
            ({{ business_position_microseconds('bt_source.' ~ end_column, 'bt_end') }})
            - ({{ business_position_microseconds('bt_source.' ~ start_column, 'bt_start') }})
        ) / 60000000.0 as {{ type_double() }}) as {{ output_column }}
    from {{ relation }} as bt_source
    {{ join_interval_at_instant(calendar_relation, 'bt_start', rep, 'bt_source.' ~ start_column, strategy) }}
    {{ join_interval_at_instant(calendar_relation, 'bt_end', rep, 'bt_source.' ~ end_column, strategy) }}
{%- endmacro %}

{#- The relation's rows plus `output_column`: the instant reached after adding `minutes_column`
    business minutes (>= 0, fractional allowed) to the start instant. Outside working time the
    counting starts at the next interval start (0 minutes -> that start); reaching exactly the
    end of an interval gives that interval's end. Negative minutes give null. -#}
{% macro add_working_minutes(relation, rep_column, start_column, minutes_column, output_column,
    calendar=none, strategy=none) -%}
    {%- set calendar_relation = business_time_calendar(calendar) -%}
    {%- set rep = 'bt_source.' ~ rep_column -%}
    {%- set start = 'bt_source.' ~ start_column -%}
    {%- set added = minutes_as_microseconds('bt_source.' ~ minutes_column) -%}
    {%- set target = business_position_microseconds(start, 'bt_start') ~ ' + ' ~ added -%}
    select
        bt_source.*,
        case
            when {{ added }} = 0 then {{ clock_start_at(start, 'bt_start') }}
            when {{ added }} > 0 then {{ instant_at_business_position(target, 'bt_due') }}
        end as {{ output_column }}
    from {{ relation }} as bt_source
    {{ join_interval_at_instant(calendar_relation, 'bt_start', rep, start, strategy) }}
    {{ join_interval_reaching_position(calendar_relation, 'bt_due', rep, '(' ~ target ~ ') / 60000000.0', strategy) }}
{%- endmacro %}

{#- The relation's rows plus a deadline that applies a policy row (contract sections 2 and 3):
      in_working_time_column  whether the start instant is inside the rep's working time
      due_column              inside working time: start + in_hours_business_minutes business minutes,
                              but never later than start + off_hours_calendar_minutes calendar
                              minutes when that column is set (the off-hours window caps it: a lead
                              handed off five minutes before closing is not promised a looser answer
                              than one handed off five minutes after);
                              outside: start + off_hours_calendar_minutes calendar minutes when that
                              column is not null, else in_hours_business_minutes business minutes
                              counted from the next working-time start.
    Null when the calendar cannot place the start (unknown rep, outside the horizon). -#}
{% macro sla_deadline(relation, rep_column, start_column, in_hours_business_minutes_column,
    off_hours_calendar_minutes_column, due_column, in_working_time_column, calendar=none, strategy=none) -%}
    {%- set calendar_relation = business_time_calendar(calendar) -%}
    {%- set rep = 'bt_source.' ~ rep_column -%}
    {%- set start = 'bt_source.' ~ start_column -%}
    {%- set added = minutes_as_microseconds('bt_source.' ~ in_hours_business_minutes_column) -%}
    {%- set calendar_minutes = 'bt_source.' ~ off_hours_calendar_minutes_column -%}
    {%- set in_working_time = is_in_working_time(start, 'bt_start') -%}
    {%- set target = business_position_microseconds(start, 'bt_start') ~ ' + ' ~ added -%}
    {%- set calendar_due = add_exact_minutes(start, calendar_minutes) -%}
    {%- set business_due = instant_at_business_position(target, 'bt_due') %}
    select
        bt_source.*,
        {{ in_working_time }} as {{ in_working_time_column }},
        case
            when not ({{ in_working_time }}) and {{ calendar_minutes }} is not null
                then {{ calendar_due }}
            when {{ added }} = 0 then {{ clock_start_at(start, 'bt_start') }}
            when {{ added }} > 0 and {{ calendar_minutes }} is not null and {{ calendar_due }} < {{ business_due }}
                then {{ calendar_due }}
            when {{ added }} > 0 then {{ business_due }}
        end as {{ due_column }}
    from {{ relation }} as bt_source
    {{ join_interval_at_instant(calendar_relation, 'bt_start', rep, start, strategy) }}
    {{ join_interval_reaching_position(calendar_relation, 'bt_due', rep, '(' ~ target ~ ') / 60000000.0', strategy) }}
{%- endmacro %}
