{#- Each value is a regular expression every supported engine reads the same way: POSIX
    extended syntax, no backslash classes (`\b`, `\d`, `\w`, `\s`: use `(^|[^a-z])`,
    `[0-9]`, ...), no `(?` groups (lookarounds, inline flags), no `[[:class:]]` (Spark) and no
    lazy quantifiers. On DuckDB the pattern is also compiled (`try(regexp_matches(...))`), so a
    syntax error is reported as a failing row naming it; elsewhere an invalid pattern makes the
    test error out when the engine compiles it. -#}
{% test valid_regex(model, column_name, key_column=none) %}
    {%- set key_name = key_column if key_column else column_name -%}
    {%- set failures_sql -%}
        with

        checked as (

            select
                {{ rule_test_text(key_name) }} as row_key,
                {{ column_name }} as pattern,
                case
                    when {{ regex_matches(column_name, "'[\\\\][a-zA-Z0-9]'") }}
                        then 'uses a backslash class or escape that is not portable'
                    when {{ regex_matches(column_name, "'[(][?]'") }}
                        then 'uses a (? group (lookaround or inline flag) that is not portable'
                    when {{ dbt.position("'[[:'", column_name) }} > 0
                        then 'uses a [[:class:]] that Spark does not read'
                    when {{ regex_matches(column_name, "'([*+}]|[?])[?]'") }}
                        then 'uses a lazy quantifier that POSIX does not have'
                    when {{ lead_handoff.regex_is_invalid(column_name) }}
                        then 'does not compile'
                end as problem
            from {{ model }}
            where {{ column_name }} is not null

        )

        select '{{ key_name }}=' || row_key || ': pattern ' || pattern || ' ' || problem as failing_row
        from checked
        where problem is not null
    {%- endset -%}
    {{ rule_test_failures(failures_sql, model, 'valid_regex') }}
{% endtest %}

{#- True when the pattern does not compile. DuckDB can say so without failing the query. -#}
{% macro regex_is_invalid(pattern) -%}
    {{ return(adapter.dispatch('regex_is_invalid', 'lead_handoff')(pattern)) }}
{%- endmacro %}

{% macro duckdb__regex_is_invalid(pattern) -%}
    try(regexp_matches('', {{ pattern }})) is null
{%- endmacro %}

{#- Elsewhere compiling an invalid pattern raises: the test errors, which fails the build. -#}
{% macro default__regex_is_invalid(pattern) -%}
    {{ regex_matches("''", pattern) }} is null
{%- endmacro %}
