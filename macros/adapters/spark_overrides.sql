{#- Spark variants of dbt's own adapter macros (a root-project `spark__x` wins over
    dbt-spark's for `adapter.dispatch('x', 'dbt')`), so the project's YAML and SQL run unchanged
    on Spark. docs/engines.md lists why each exists. DuckDB and PostgreSQL are untouched. -#}

{#- A type name as the engine spells it. The YAML (contracts, seed column_types, unit-test
    SQL fixtures) uses `varchar`, `text` and `double precision`, which Spark does not parse
    (`varchar` needs a length there). -#}
{% macro engine_data_type(data_type) -%}
    {{ return(adapter.dispatch('engine_data_type', 'lead_handoff')(data_type)) }}
{%- endmacro %}

{% macro default__engine_data_type(data_type) -%}
    {{ return(data_type) }}
{%- endmacro %}

{% macro spark__engine_data_type(data_type) -%}
    {%- set spark_names = {
        'varchar': 'string', 'text': 'string', 'character varying': 'string',
        'double precision': 'double', 'float8': 'double',
    } -%}
    {%- set key = data_type | trim | lower -%}
    {{ return(spark_names.get(key, data_type)) }}
{%- endmacro %}

{#- dbt casts through this macro where a declared type meets SQL: the empty query that checks
    a model contract, and unit-test fixtures. -#}
{% macro spark__cast(field, type) -%}
    cast({{ field }} as {{ engine_data_type(type) }})
{%- endmacro %}

{#- ---------- seeds ---------- -#}

{#- The Spark type of every seed column, in file order: column_types translated, else inferred. -#}
{% macro spark_seed_column_types(model, agate_table) -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for column_name in agate_table.column_names -%}
        {%- set inferred_type = adapter.convert_type(agate_table, loop.index0) -%}
        {%- do types.append(engine_data_type(column_override.get(column_name, inferred_type))) -%}
    {%- endfor -%}
    {{ return(types) }}
{%- endmacro %}

{% macro spark__create_csv_table(model, agate_table) %}
    {%- set column_types = spark_seed_column_types(model, agate_table) -%}
    {%- set quote_seed_column = model['config'].get('quote_columns', None) -%}
    {% set sql %}
        create table {{ this.render() }} (
            {%- for column_name in agate_table.column_names -%}
                {{ adapter.quote_seed_column(column_name | string, quote_seed_column) }} {{ column_types[loop.index0] }}
                {%- if not loop.last %}, {% endif -%}
            {%- endfor -%}
        )
        {{ file_format_clause() }}
        {{ location_clause() }}
        {{ comment_clause() }}
    {% endset %}
    {% call statement('_') -%}
        {{ sql }}
    {%- endcall %}
    {{ return(sql) }}
{% endmacro %}

{#- A seed cell as a Spark SQL literal. dbt-spark's session method binds every value as
    '<value>' unescaped: an empty cell became the text 'None' and a quote broke the insert. -#}
{% macro spark_seed_literal(value) -%}
    {%- if value is none -%}
        null
    {%- elif value is boolean -%}
        {{ 'true' if value else 'false' }}
    {%- elif value is number -%}
        {{ value }}
    {%- elif value is string -%}
        '{{ value | replace("\\", "\\\\") | replace("'", "\\'") }}'
    {%- else -%}
        '{{ value.isoformat() }}'
    {%- endif -%}
{%- endmacro %}

{% macro spark__load_csv_rows(model, agate_table) %}
    {%- set column_types = spark_seed_column_types(model, agate_table) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {% set sql %}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                (
                    {%- for value in row -%}
                        cast({{ spark_seed_literal(value) }} as {{ column_types[loop.index0] }})
                        {%- if not loop.last %}, {% endif -%}
                    {%- endfor -%}
                ){%- if not loop.last %},{% endif %}
            {% endfor %}
        {% endset %}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}

{#- ---------- cross-database macros ---------- -#}

{#- dbt-spark ignores listagg's order_by (it warns): the lists the marts show in a defined order
    (reasons, reps, breach dates) came out in any order. Spark 4 has listagg ... within group. -#}
{% macro spark__listagg(measure, delimiter_text, order_by_clause, limit_num) -%}
    {%- if limit_num -%}
        {{ exceptions.raise_compiler_error("listagg: limit_num is not supported on Spark") }}
    {%- endif -%}
    listagg({{ measure }}, {{ delimiter_text }})
    {%- if order_by_clause %} within group ({{ order_by_clause }}){% endif %}
{%- endmacro %}

{#- dbt-spark's dateadd goes through unix seconds (fractions of a second are lost) and raises
    on a null timestamp (assert_not_null); timestampadd is exact and null-safe. A date becomes a
    timestamp, as on DuckDB. -#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    timestampadd({{ datepart }}, {{ interval }}, cast({{ from_date_or_timestamp }} as timestamp))
{%- endmacro %}

{#- Days or months between two dates (boundaries crossed, as dbt's datediff counts them), null
    when either is null (dbt-spark's raises on a null). The project uses no other part. -#}
{% macro spark__datediff(first_date, second_date, datepart) -%}
    {%- if datepart == 'day' -%}
        datediff(cast({{ second_date }} as date), cast({{ first_date }} as date))
    {%- elif datepart == 'month' -%}
        ((year({{ second_date }}) - year({{ first_date }})) * 12 + month({{ second_date }}) - month({{ first_date }}))
    {%- else -%}
        {{ exceptions.raise_compiler_error("spark__datediff: only 'day' and 'month' are used, got " ~ datepart) }}
    {%- endif -%}
{%- endmacro %}
