-- Two independent computations of the raw points as of as_of agree: the running score
-- (cumulative windows, decay as sum(p * 2^(t/H)) / 2^(t_as_of/H)) and lead_score_reasons
-- (each rule's points decayed one by one from its event to as_of). Per lead and dimension.
with

scores_as_of as (

    select * from {{ ref('int_lead_scores_running') }}
    where moment_kind = 'as_of'

),

reasons as (

    select * from {{ ref('lead_score_reasons') }}

),

running_points as (

    select
        lead_id,
        'budget_authority' as dimension,
        budget_authority_raw_points as raw_points
    from scores_as_of
    union all
    select
        lead_id,
        'need' as dimension,
        need_raw_points as raw_points
    from scores_as_of
    union all
    select
        lead_id,
        'timeline' as dimension,
        timeline_raw_points as raw_points
    from scores_as_of
    union all
    select
        lead_id,
        'fit' as dimension,
        fit_raw_points as raw_points
    from scores_as_of

),

reason_points as (

    select
        lead_id,
        dimension,
        sum(current_points) as raw_points
    from reasons
    group by lead_id, dimension

),

compared as (

    select
        running_points.lead_id,
        running_points.dimension,
        running_points.raw_points as running_raw_points,
        coalesce(reason_points.raw_points, 0) as reason_raw_points
    from running_points
    left join reason_points
        on
            running_points.lead_id = reason_points.lead_id
            and running_points.dimension = reason_points.dimension

)

select
    lead_id,
    'lead ' || lead_id || ' ' || dimension || ': running score has '
    || cast(running_raw_points as {{ dbt.type_string() }}) || ' raw points, score reasons add up to '
    || cast(reason_raw_points as {{ dbt.type_string() }}) as failing_row
from compared
where abs(running_raw_points - reason_raw_points) > 0.000001 * greatest(1, abs(running_raw_points))
