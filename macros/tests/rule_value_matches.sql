{#- Every non-null value matches a POSIX regular expression (a format: a two-letter country
    code, a lower-case domain, a snake_case name). Fails with one row per value that does not:
    "domain=RivalCRM.com: domain 'RivalCRM.com' does not match ^[a-z0-9.-]+$". -#}
{% test rule_value_matches(model, column_name, pattern, key_column=none) %}
    {%- set key_name = key_column if key_column else column_name -%}
    {%- set failures_sql -%}
        select
            '{{ key_name }}=' || {{ rule_test_text(key_name) }} || ': {{ column_name }} '''
            || {{ rule_test_text(column_name) }} || ''' does not match '
            || {{ dbt.string_literal(pattern) }} as failing_row
        from {{ model }}
        where
            {{ column_name }} is not null
            and not {{ regex_matches(column_name, dbt.string_literal(pattern)) }}
    {%- endset -%}
    {{ rule_test_failures(failures_sql, model, 'rule_value_matches') }}
{% endtest %}
