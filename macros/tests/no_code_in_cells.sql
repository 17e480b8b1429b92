{#- Rule tables hold data, never code: no text cell may contain Jinja (`{{`, `{%`, `{#`), a SQL
    comment (`--`, `/*`) or a `;` followed by a SQL keyword. Rules are joined as data and never
    pasted into SQL text, so such a cell is a mistake or an attack either way. Checks every text
    column of the table (found when the test runs). Fails with one row per bad cell, naming the
    row by `key_column` (default: the table's first column) and the column. -#}
{% test no_code_in_cells(model, key_column=none) %}
    {%- set text_columns = [] -%}
    {%- set key_name = key_column -%}
    {%- if execute -%}
        {%- set columns = adapter.get_columns_in_relation(model) -%}
        {%- for column in columns -%}
            {%- if column.is_string() -%}
                {%- do text_columns.append(column.name) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if key_name is none and columns | length > 0 -%}
            {%- set key_name = columns[0].name -%}
        {%- endif -%}
    {%- endif -%}
    {%- set sql_keywords = 'select|insert|update|delete|drop|create|alter|truncate|grant|revoke|merge|'
        ~ 'with|union|call|copy|attach|detach|pragma|install|load|exec|execute|set|begin|commit' -%}
    {%- set failures_sql -%}
        {% if text_columns | length == 0 -%}
            select cast(null as {{ dbt.type_string() }}) as failing_row
            where 1 = 0
        {%- else -%}
            {% for column in text_columns -%}
                select
                    '{{ key_name }}=' || {{ rule_test_text(key_name) }}
                    || ': column {{ column }} contains code: ' || {{ rule_test_text(column) }} as failing_row
                from {{ model }}
                where
                    {{ column }} like '%' || '{' || '{' || '%'
                    or {{ column }} like '%' || '{' || '!%%' escape '!'
                    or {{ column }} like '%' || '{' || '#%'
                    or {{ column }} like '%--%'
                    or {{ column }} like '%/*%'
                    or {{ regex_matches(
                        'lower(' ~ column ~ ')',
                        "';[ \\t\\r\\n]*(" ~ sql_keywords ~ ")([^a-z_]|$)'"
                    ) }}
                {% if not loop.last %}union all
                {% endif -%}
            {%- endfor %}
        {%- endif %}
    {%- endset -%}
    {{ rule_test_failures(failures_sql, model, 'no_code_in_cells') }}
{% endtest %}
