{#- Every non-null value of the column exists in `to`.`field` (e.g. an event type a scoring rule
    names is in the catalogue `event_types`). Fails with one row per row that refers to
    nothing: "rule_id=need_webinar: event_type 'webinar' is not in event_types.event_type". -#}
{% test rule_reference_exists(model, column_name, to, field, key_column=none) %}
    {%- set key_name = key_column if key_column else column_name -%}
    {%- set failures_sql -%}
        select
            '{{ key_name }}=' || {{ rule_test_text('rules.' ~ key_name) }} || ': {{ column_name }} '''
            || {{ rule_test_text('rules.' ~ column_name) }} || ''' is not in {{ to.identifier }}.{{ field }}'
            as failing_row
        from {{ model }} as rules
        left join (select distinct {{ field }} as referenced_value from {{ to }}) as referenced
            on rules.{{ column_name }} = referenced.referenced_value
        where rules.{{ column_name }} is not null and referenced.referenced_value is null
    {%- endset -%}
    {{ rule_test_failures(failures_sql, model, 'rule_reference_exists') }}
{% endtest %}
