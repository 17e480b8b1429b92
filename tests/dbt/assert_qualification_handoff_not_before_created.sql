-- Lifecycle moments are historical: never before the lead was created, never after as_of.
with

leads as (

    select * from {{ ref('leads') }}

),

moments as (

    select
        lead_id,
        created_at,
        score_as_of_at,
        'handoff_at' as moment_name,
        handoff_at as moment_at
    from leads
    union all
    select
        lead_id,
        created_at,
        score_as_of_at,
        'mql_at' as moment_name,
        mql_at as moment_at
    from leads
    union all
    select
        lead_id,
        created_at,
        score_as_of_at,
        'sql_at' as moment_name,
        sql_at as moment_at
    from leads

)

select
    lead_id,
    'lead ' || lead_id || ': ' || moment_name || ' ' || cast(moment_at as {{ dbt.type_string() }})
    || case
        when moment_at < created_at then ' is before created_at ' || cast(created_at as {{ dbt.type_string() }})
        else ' is after as_of ' || cast(score_as_of_at as {{ dbt.type_string() }})
    end as failing_row
from moments
where moment_at < created_at or moment_at > score_as_of_at
