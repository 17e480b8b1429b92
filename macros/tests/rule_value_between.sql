{#- Every non-null value lies within [min_value, max_value] (either bound optional). Fails with
    one row per value outside: "dimension=need: half_life_days = 2, expected between 7 and 3650". -#}
{% test rule_value_between(model, column_name, min_value=none, max_value=none, key_column=none) %}
    {%- set key_name = key_column if key_column else column_name -%}
    {%- set failures_sql -%}
        select
            '{{ key_name }}=' || {{ rule_test_text(key_name) }} || ': {{ column_name }} = '
            || {{ rule_test_text(column_name) }}
            || ', expected {% if min_value is not none %}at least {{ min_value }}{% endif %}
            {%- if min_value is not none and max_value is not none %} and {% endif %}
            {%- if max_value is not none %}at most {{ max_value }}{% endif %}' as failing_row
        from {{ model }}
        where
            {{ column_name }} is not null
            and (
                1 = 0
                {% if min_value is not none %}or {{ column_name }} < {{ min_value }}{% endif %}
                {% if max_value is not none %}or {{ column_name }} > {{ max_value }}{% endif %}
            )
    {%- endset -%}
    {{ rule_test_failures(failures_sql, model, 'rule_value_between') }}
{% endtest %}
