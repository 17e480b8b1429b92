{#- One row per SLA breach with the violation-ladder level the rep reached at it: the highest
    `level_rank` whose window count (int_rep_breach_windows_counted) meets its `min_breaches`,
    `none` (rank 0) when no level holds. `previous_level_rank` is the level just before the
    breach (the same windows without it); a breach with a higher level than that moved the rep
    up the ladder. -#}
with

breach_windows as (

    select * from {{ ref('int_rep_breach_windows_counted') }}

),

breaches as (

    -- a breach of a lead nobody owns has no rep to put on the ladder
    select * from {{ ref('int_sla_breaches_attributed') }}
    where breach_rep_id is not null

),

violation_ladder as (

    select * from {{ ref('violation_ladder') }}

),

levels_at_breach as (

    -- every breach, also when the ladder has no levels (then level none)
    select
        breaches.lead_id,
        max(breach_windows.breach_number) as breach_number,
        coalesce(max(case when breach_windows.is_threshold_met then breach_windows.level_rank end), 0)
            as level_rank,
        coalesce(max(case when breach_windows.was_threshold_met_before then breach_windows.level_rank end), 0)
            as previous_level_rank,
        {{ dbt.listagg(
            "breach_windows.ladder_level || ' ' || cast(breach_windows.window_breach_count as "
                ~ dbt.type_string() ~ ") || '/' || cast(breach_windows.min_breaches as "
                ~ dbt.type_string() ~ ") || ' in ' || cast(breach_windows.window_days as "
                ~ dbt.type_string() ~ ") || 'd'",
            "', '",
            'order by breach_windows.level_rank'
        ) }} as window_breach_counts
    from breaches
    left join breach_windows
        on breaches.lead_id = breach_windows.lead_id
    group by breaches.lead_id

),

final as (

    select
        breaches.breach_rep_id as rep_id,
        breaches.lead_id,
        breaches.breach_at,
        levels_at_breach.breach_number,
        levels_at_breach.level_rank,
        levels_at_breach.previous_level_rank,
        violation_ladder.action,
        levels_at_breach.window_breach_counts,
        breaches.priority_tier,
        breaches.sla_rep_id,
        breaches.breach_team,
        coalesce(violation_ladder.ladder_level, 'none') as ladder_level,
        levels_at_breach.level_rank > levels_at_breach.previous_level_rank as is_level_up
    from breaches
    inner join levels_at_breach
        on breaches.lead_id = levels_at_breach.lead_id
    left join violation_ladder
        on levels_at_breach.level_rank = violation_ladder.level_rank

)

select * from final
