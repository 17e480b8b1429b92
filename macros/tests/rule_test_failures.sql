{#- Shared by the rule-hygiene tests in this folder. `failures_sql` selects one row per problem
    with a text column `failing_row` that names the bad row and says what is wrong. The test
    returns those rows (so it fails the usual way: "Got N results"), and, while `dbt build` /
    `dbt test` executes it, also logs each `failing_row` so the console names the bad row
    without anyone having to open the compiled SQL. -#}
{% macro rule_test_failures(failures_sql, model, test_name) -%}
    {%- if execute and flags.WHICH in ('build', 'test', 'retry') -%}
        {%- set preview_sql -%}
            select failing_row from ({{ failures_sql }}) as failures order by failing_row limit 20
        {%- endset -%}
        {%- set preview = run_query(preview_sql) -%}
        {%- for row in preview.rows -%}
            {%- do log(
                'Rule check ' ~ test_name ~ ' failed on ' ~ model.identifier ~ ': ' ~ row[0],
                info=true
            ) -%}
        {%- endfor -%}
    {%- endif -%}
    select * from ({{ failures_sql }}) as failures
{%- endmacro %}

{#- A cell's value as text for a failure message ('(null)' when missing). -#}
{% macro rule_test_text(expression) -%}
    coalesce(cast({{ expression }} as {{ dbt.type_string() }}), '(null)')
{%- endmacro %}

{#- The key of a rule row as text: 'col=value' parts joined with ', '. -#}
{% macro rule_test_row_key(columns, relation_alias=none) -%}
    {%- set prefix = relation_alias ~ '.' if relation_alias else '' -%}
    {%- for column in columns -%}
        '{{ column }}=' || {{ rule_test_text(prefix ~ column) }}
        {%- if not loop.last %} || ', ' || {% endif -%}
    {%- endfor -%}
{%- endmacro %}

{#- Column names given as a string or a list, as a list. -#}
{% macro rule_test_columns(columns) -%}
    {%- if columns is none -%}
        {{ return([]) }}
    {%- elif columns is string -%}
        {{ return([columns]) }}
    {%- else -%}
        {{ return(columns | list) }}
    {%- endif -%}
{%- endmacro %}
