-- Warns (never fails the build) when a raw table of var raw_volume_growing_tables has kept the
-- same row count for var raw_volume_stall_hours: the connector stopped delivering new rows.
-- (No load at all shows in `dbt source freshness`, on `_loaded_at`.)
{{ config(severity='warn') }}

select
    table_name,
    row_count,
    unchanged_since_at,
    unchanged_hours
from {{ ref('raw_volume_changes') }}
where is_stalled
