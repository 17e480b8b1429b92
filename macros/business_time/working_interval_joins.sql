{#- How business-time lookups find their row of the working calendar (int_rep_working_intervals).

    Both lookups pick, per rep, the one calendar row whose range holds a value; the ranges of
    one rep never overlap, so at most one row matches:
      - join_interval_at_instant: the row whose [coverage_start_at, interval_end_at) holds an
        instant (the gap before an interval belongs to that interval);
      - join_interval_reaching_position: the row whose (cumulative_minutes_before,
        cumulative_minutes_after] holds a business position in minutes (an expression of the
        relation and of rows joined before).
    The rendered text is a join clause to append after `from <relation> as <alias>`.

    strategy: 'asof' (DuckDB ASOF join: a sort-merge, cost independent of the horizon length),
    'range' (portable range join: hash on rep_id, then a filter over that rep's rows), or none
    (the adapter's default through adapter.dispatch). An ASOF join only bounds one side: the
    expression macros in business_time.sql check the other bound (interval_end_at,
    cumulative_minutes_after) before using the row, so both strategies give identical results
    and an instant past the calendar's end finds nothing.
-#}

{% macro join_interval_at_instant(calendar, alias, rep_expression, instant_expression, strategy=none) -%}
    {%- if strategy is none -%}
        {{ return(adapter.dispatch('join_interval_at_instant', 'lead_handoff')(
            calendar, alias, rep_expression, instant_expression)) }}
    {%- elif strategy == 'asof' -%}
        {{ return(duckdb__join_interval_at_instant(calendar, alias, rep_expression, instant_expression)) }}
    {%- elif strategy == 'range' -%}
        {{ return(default__join_interval_at_instant(calendar, alias, rep_expression, instant_expression)) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("business time: strategy must be 'asof', 'range' or none, got '"
            ~ strategy ~ "'") }}
    {%- endif -%}
{%- endmacro %}

{% macro default__join_interval_at_instant(calendar, alias, rep_expression, instant_expression) -%}
    left join {{ calendar }} as {{ alias }}
        on
            {{ alias }}.rep_id = {{ rep_expression }}
            and {{ instant_expression }} >= {{ alias }}.coverage_start_at
            and {{ instant_expression }} < {{ alias }}.interval_end_at
{%- endmacro %}

{% macro duckdb__join_interval_at_instant(calendar, alias, rep_expression, instant_expression) -%}
    asof left join {{ calendar }} as {{ alias }}
        on
            {{ rep_expression }} = {{ alias }}.rep_id
            and {{ instant_expression }} >= {{ alias }}.coverage_start_at
{%- endmacro %}

{% macro join_interval_reaching_position(calendar, alias, rep_expression, position_expression, strategy=none) -%}
    {%- if strategy is none -%}
        {{ return(adapter.dispatch('join_interval_reaching_position', 'lead_handoff')(
            calendar, alias, rep_expression, position_expression)) }}
    {%- elif strategy == 'asof' -%}
        {{ return(duckdb__join_interval_reaching_position(calendar, alias, rep_expression, position_expression)) }}
    {%- elif strategy == 'range' -%}
        {{ return(default__join_interval_reaching_position(calendar, alias, rep_expression, position_expression)) }}
    {%- else -%}
        {{ exceptions.raise_compiler_error("business time: strategy must be 'asof', 'range' or none, got '"
            ~ strategy ~ "'") }}
    {%- endif -%}
{%- endmacro %}

{% macro default__join_interval_reaching_position(calendar, alias, rep_expression, position_expression) -%}
    left join {{ calendar }} as {{ alias }}
        on
            {{ alias }}.rep_id = {{ rep_expression }}
            and ({{ position_expression }}) > {{ alias }}.cumulative_minutes_before
            and ({{ position_expression }}) <= {{ alias }}.cumulative_minutes_after
{%- endmacro %}

{% macro duckdb__join_interval_reaching_position(calendar, alias, rep_expression, position_expression) -%}
    asof left join {{ calendar }} as {{ alias }}
        on
            {{ rep_expression }} = {{ alias }}.rep_id
            and ({{ position_expression }}) > {{ alias }}.cumulative_minutes_before
{%- endmacro %}
