{#- No two rows share the same values in `columns` (a rule defined twice makes its points count
    twice or its outcome depend on row order). Nulls compare equal here. As a column test,
    `columns` defaults to that column. Fails with one row per
    duplicated key: "event_type=pricing_page_view, dimension=need: 2 rows". -#}
{% test no_duplicate_rules(model, columns=none, column_name=none) %}
    {%- set key_columns = rule_test_columns(columns if columns is not none else column_name) -%}
    {%- set failures_sql -%}
        select
            {{ rule_test_row_key(key_columns) }} || ': ' || cast(count(*) as {{ dbt.type_string() }})
            || ' rows' as failing_row
        from {{ model }}
        group by {% for column in key_columns %}{{ rule_test_text(column) }}{% if not loop.last %}, {% endif %}{% endfor %}
        having count(*) > 1
    {%- endset -%}
    {{ rule_test_failures(failures_sql, model, 'no_duplicate_rules') }}
{% endtest %}
