{#- No value looks like a whole email address (local part of two or more characters before
    the @): outbound feeds carry masked emails only. -#}
{% test no_raw_email(model, column_name) %}
    select {{ column_name }} as failing_value
    from {{ model }}
    where {{ regex_matches(column_name, "'[A-Za-z0-9._%+-]{2,}@[A-Za-z0-9.-]+'") }}
{% endtest %}
