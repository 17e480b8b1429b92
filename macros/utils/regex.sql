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
