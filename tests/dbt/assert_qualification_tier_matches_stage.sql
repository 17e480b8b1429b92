-- Tier, stage and lifecycle moments agree on the leads mart:
--   a tier <=> a handoff_at <=> an mql_at <=> stage mql or sql;
--   tier 1 <=> an sql_at <=> stage sql;
--   mql_at <= sql_at and mql_at <= handoff_at (mql_at is the earliest qualifying moment).
with

leads as (

    select * from {{ ref('leads') }}

),

checked as (

    select
        lead_id,
        case
            when (priority_tier is null) <> (handoff_at is null) then 'priority_tier and handoff_at disagree'
            when (priority_tier is null) <> (mql_at is null) then 'priority_tier and mql_at disagree'
            when (mql_at is null) <> (qualification_stage = 'unqualified') then 'mql_at and stage disagree'
            when (sql_at is null) <> (qualification_stage <> 'sql') then 'sql_at and stage disagree'
            when (priority_tier = 1) <> (qualification_stage = 'sql') then 'tier 1 and stage sql disagree'
            when sql_at < mql_at then 'sql_at before mql_at'
            when handoff_at < mql_at then 'handoff_at before mql_at'
        end as problem
    from leads

)

select
    lead_id,
    'lead ' || lead_id || ': ' || problem as failing_row
from checked
where problem is not null
