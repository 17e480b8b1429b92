{#- No two rows share the same values in `columns`: a composite key, checked by grouping on the
    columns themselves rather than on one concatenated string (on the lead x rule tables of a
    large warehouse, building that string for every row cost more than the check). Nulls
    compare equal here. Fails with one row per duplicated key and its row count. -#}
{% test unique_combination(model, columns) %}
    select
        {% for column in columns -%}
            {{ column }},
        {% endfor -%}
        count(*) as duplicate_count
    from {{ model }}
    group by {{ columns | join(', ') }}
    having count(*) > 1
{% endtest %}
