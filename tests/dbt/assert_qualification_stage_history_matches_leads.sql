-- lead_stage_history agrees with the leads mart: every lead has exactly one current stage,
-- equal to its qualification_stage, and an mql / sql row exactly when mql_at / sql_at is set,
-- entered at that moment.
with

leads as (

    select * from {{ ref('leads') }}

),

history as (

    select * from {{ ref('lead_stage_history') }}

),

per_lead as (

    select
        lead_id,
        sum(case when is_current_stage then 1 else 0 end) as current_stage_count,
        max(case when is_current_stage then qualification_stage end) as current_stage,
        max(case when qualification_stage = 'mql' then entered_at end) as mql_entered_at,
        max(case when qualification_stage = 'sql' then entered_at end) as sql_entered_at,
        sum(case when qualification_stage = 'unqualified' then 1 else 0 end) as unqualified_count
    from history
    group by lead_id

),

checked as (

    select
        leads.lead_id,
        case
            when per_lead.lead_id is null then 'no stage history'
            when per_lead.unqualified_count <> 1 then 'not exactly one unqualified row'
            when per_lead.current_stage_count <> 1 then 'not exactly one current stage'
            when per_lead.current_stage <> leads.qualification_stage then 'current stage differs from the mart'
            when not {{ dbt.equals('per_lead.mql_entered_at', 'leads.mql_at') }} then 'mql row differs from mql_at'
            when not {{ dbt.equals('per_lead.sql_entered_at', 'leads.sql_at') }} then 'sql row differs from sql_at'
        end as problem
    from leads
    left join per_lead
        on leads.lead_id = per_lead.lead_id

)

select
    lead_id,
    'lead ' || lead_id || ': ' || problem as failing_row
from checked
where problem is not null
