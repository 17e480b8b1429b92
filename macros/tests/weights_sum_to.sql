{#- The values of a column add up to `total` (within `tolerance`), over the whole table or per
    `group_by` group. Fails with one row per group whose sum is off, e.g.
    "weight sums to 95, expected 100". An empty table sums to 0. -#}
{% test weights_sum_to(model, column_name, total=100, group_by=none, tolerance=0.000001) %}
    {%- set groups = rule_test_columns(group_by) -%}
    {%- set failures_sql -%}
        select
            {% if groups -%}
                {{ rule_test_row_key(groups) }} || ': '
            {%- else -%}
                'all rows: '
            {%- endif %} || '{{ column_name }} sums to '
            || {{ rule_test_text('coalesce(sum(' ~ column_name ~ '), 0)') }}
            || ', expected {{ total }}' as failing_row,
            coalesce(sum({{ column_name }}), 0) as actual_total
        from {{ model }}
        {% if groups -%}
            group by {{ groups | join(', ') }}
        {%- endif %}
        having abs(coalesce(sum({{ column_name }}), 0) - ({{ total }})) > {{ tolerance }}
            {%- if not groups %} or count(*) = 0{% endif %}
    {%- endset -%}
    {{ rule_test_failures(failures_sql, model, 'weights_sum_to') }}
{% endtest %}
