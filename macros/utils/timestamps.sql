{#- A raw timestamp (text, or a typed timestamp / timestamptz column) -> a UTC `timestamp`
    without zone (docs/contract.md: all timestamps are UTC).

      '2026-03-19 10:00:00'        naive: already UTC            -> 2026-03-19 10:00:00
      '2026-03-19T10:00:00+02:00'  explicit offset: converted   -> 2026-03-19 08:00:00
      '2026-03-19 14:00:00-0500'   (also +05, +05:30, +0530, +00:53:28)   -> 19:00:00
      '2026-03-19T10:00:00Z'       Z or UTC                      -> 2026-03-19 10:00:00
      '2026-03-19'                 a date: midnight UTC
      'last tuesday', '2026-02-30 10:00', '10:00 PST', '... America/New_York'   -> null

    The value is split into its wall-clock part and its offset by one regular expression written
    without backslashes (Spark reads them as escapes); the wall-clock part goes through the
    engine's `try_cast` (on PostgreSQL the guarded one, so DuckDB and PostgreSQL accept the
    same values), then the offset is subtracted. No engine parses the zone itself: DuckDB's
    `cast(... as timestamp)` silently drops an offset or a zone name, and casting to
    `timestamptz` would read a naive value in the session time zone. A zone name or an
    abbreviation (PST is ambiguous) does not match and yields null: staging quarantines the row
    as `unparseable_timestamp` instead of guessing.
    A typed `timestamptz` column is read through its text, which every engine writes with the
    session's offset ('2026-03-19 10:00:00+02'), so it lands on the right instant whatever the
    session time zone is. A typed `timestamp` is naive: it is taken as UTC. (Spark writes a
    timestamp as session-local text without an offset: run Spark with
    spark.sql.session.timeZone=UTC.) -#}
{% macro parse_timestamp_utc(expression) -%}
    {{ return(adapter.dispatch('parse_timestamp_utc', 'lead_handoff')(expression)) }}
{%- endmacro %}

{% macro default__parse_timestamp_utc(expression) -%}
    {%- set text_value = clean_text(expression) -%}
    {%- set date_part = '[0-9]{4}[-/][0-9]{1,2}[-/][0-9]{1,2}' -%}
    {%- set time_part = '[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:[.][0-9]+)?)?' -%}
    {%- set offset_part = '[Zz]|[Uu][Tt][Cc]|[+-][0-9]{2}(?::?[0-9]{2}(?::?[0-9]{2})?)?' -%}
    {#- groups: 1 the date, 2 the time of day, 3 the offset (only after a time of day) -#}
    {%- set shape = "'^(" ~ date_part ~ ")(?:(" ~ time_part ~ ")(?: *(" ~ offset_part ~ "))?)?$'" -%}
    {%- set wall_clock -%}
        {{ regex_extract(text_value, shape, 1) }} || coalesce({{ regex_extract(text_value, shape, 2) }}, '')
    {%- endset -%}
    {%- set offset_text = regex_extract(text_value, shape, 3) -%}
    {#- the offset's digits: hh, hhmm or hhmmss ('' for Z and UTC) -#}
    {%- set digits = regex_replace_all('coalesce(' ~ offset_text ~ ", '')", "'[^0-9]'", "''") -%}
    {%- set offset_seconds -%}
        (case when {{ offset_text }} like '-%' then -1 else 1 end) * (
            3600 * cast(coalesce(nullif(substring({{ digits }}, 1, 2), ''), '0') as integer)
            + 60 * cast(coalesce(nullif(substring({{ digits }}, 3, 2), ''), '0') as integer)
            + cast(coalesce(nullif(substring({{ digits }}, 5, 2), ''), '0') as integer)
        )
    {%- endset -%}
    {#- Most values are 'YYYY-MM-DD HH:MM:SS' (or with a T): those digits and separators at
        those places leave no room for an offset, so the plain cast reads them the same as the
        regular expressions would, at a fraction of the cost (millions of event rows). -#}
    case
        when
            length({{ text_value }}) = 19
            and substring({{ text_value }}, 5, 1) = '-'
            and substring({{ text_value }}, 8, 1) = '-'
            and substring({{ text_value }}, 11, 1) in (' ', 'T')
            and substring({{ text_value }}, 14, 1) = ':'
            and substring({{ text_value }}, 17, 1) = ':'
            then {{ try_cast(text_value, 'timestamp') }}
        else {{ dbt.dateadd('second', '-1 * ' ~ offset_seconds, try_cast(wall_clock, 'timestamp')) }}
    end
{%- endmacro %}
