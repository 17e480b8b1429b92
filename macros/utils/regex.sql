{#- True when the text matches a POSIX regular expression (patterns live in seeds). -#}
{% macro regex_matches(expression, pattern) -%}
    {{ return(adapter.dispatch('regex_matches', 'lead_handoff')(expression, pattern)) }}
{%- endmacro %}

{% macro duckdb__regex_matches(expression, pattern) -%}
    regexp_matches({{ expression }}, {{ pattern }})
{%- endmacro %}

{% macro postgres__regex_matches(expression, pattern) -%}
    ({{ expression }} ~ {{ pattern }})
{%- endmacro %}

{% macro spark__regex_matches(expression, pattern) -%}
    ({{ expression }} rlike {{ spark_regex_literal(pattern) }})
{%- endmacro %}

{#- Spark reads a backslash in a string literal as an escape ('\s' is 's'): a pattern written
    as a literal keeps its backslashes by doubling them. Patterns from columns pass unchanged. -#}
{% macro spark_regex_literal(pattern) -%}
    {%- set text = pattern | trim -%}
    {%- if text.startswith("'") and text.endswith("'") -%}
        {{ return(text | replace('\\', '\\\\')) }}
    {%- endif -%}
    {{ return(pattern) }}
{%- endmacro %}

{#- The text of one capture group (1-based) of a regular expression, or null when the text does
    not match or the group took no part in the match (DuckDB and Spark answer '' there). -#}
{% macro regex_extract(expression, pattern, group) -%}
    {{ return(adapter.dispatch('regex_extract', 'lead_handoff')(expression, pattern, group)) }}
{%- endmacro %}

{% macro default__regex_extract(expression, pattern, group) -%}
    nullif(regexp_extract({{ expression }}, {{ pattern }}, {{ group }}), '')
{%- endmacro %}

{% macro postgres__regex_extract(expression, pattern, group) -%}
    (regexp_match({{ expression }}, {{ pattern }}))[{{ group }}]
{%- endmacro %}
