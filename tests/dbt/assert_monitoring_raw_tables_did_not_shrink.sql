-- Warns (never fails the build) when a raw table holds fewer rows than at the previous build,
-- beyond var raw_volume_shrink_tolerance: a truncated extract that a connector (or a forced
-- `handoff load`) wrote. Each row names the table and both counts.
{{ config(severity='warn') }}

select
    table_name,
    previous_row_count,
    row_count
from {{ ref('raw_volume_changes') }}
where is_shrunk
