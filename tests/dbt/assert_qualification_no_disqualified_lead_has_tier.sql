-- A disqualified lead never reaches routing or SLAs: it has no tier, no handoff, no MQL or
-- SQL moment and stays unqualified. One row per offending lead.
select
    lead_id,
    'lead ' || lead_id || ' is disqualified (' || disqualification_reason || ') but has'
    || case when priority_tier is not null then ' a priority tier' else '' end
    || case when handoff_at is not null then ' a handoff_at' else '' end
    || case when mql_at is not null then ' an mql_at' else '' end
    || case when sql_at is not null then ' an sql_at' else '' end
    || case when qualification_stage <> 'unqualified' then ' stage ' || qualification_stage else '' end
        as failing_row
from {{ ref('leads') }}
where
    is_disqualified
    and (
        priority_tier is not null
        or handoff_at is not null
        or mql_at is not null
        or sql_at is not null
        or qualification_stage <> 'unqualified'
    )
