-- Where every rep stands on the SLA violation ladder as of as_of: one row per clean rep. The
-- level is the highest level of the seed violation_ladder whose window (the last window_days
-- days up to as_of) holds at least min_breaches of the rep's breaches; `none` (rank 0) when no
-- level holds. A level drops by itself once breaches age out of its window. The breach that
-- moved the rep to the level is the latest breach at which the rep rose from below the level
-- to it or above: the start of the current stretch at this level (int_rep_breaches_laddered).
with

reps as (

    select * from {{ ref('stg_crm__sales_reps') }}

),

laddered_breaches as (

    select * from {{ ref('int_rep_breaches_laddered') }}

),

violation_ladder as (

    select * from {{ ref('violation_ladder') }}

),

rep_keys as (

    select rep_id from reps
    union
    select rep_id from laddered_breaches

),

current_windows as (

    -- each rep's breaches inside each level's window ending at as_of
    select
        rep_keys.rep_id,
        violation_ladder.ladder_level,
        violation_ladder.level_rank,
        violation_ladder.min_breaches,
        violation_ladder.window_days,
        count(laddered_breaches.lead_id) as window_breach_count
    from rep_keys
    cross join violation_ladder
    left join laddered_breaches
        on
            rep_keys.rep_id = laddered_breaches.rep_id
            and {{ epoch_seconds('laddered_breaches.breach_at') }}
            > {{ epoch_seconds(as_of()) }} - violation_ladder.window_days * 86400
            and laddered_breaches.breach_at <= {{ as_of() }}
    group by
        rep_keys.rep_id,
        violation_ladder.ladder_level,
        violation_ladder.level_rank,
        violation_ladder.min_breaches,
        violation_ladder.window_days

),

current_levels as (

    select
        rep_id,
        coalesce(max(case when window_breach_count >= min_breaches then level_rank end), 0) as level_rank,
        -- windows all end at as_of, so the longest holds the most breaches
        max(window_breach_count) as longest_window_breach_count,
        {{ dbt.listagg(
            "ladder_level || ' ' || cast(window_breach_count as " ~ dbt.type_string() ~ ") || '/'
                || cast(min_breaches as " ~ dbt.type_string() ~ ") || ' in ' || cast(window_days as "
                ~ dbt.type_string() ~ ") || 'd'",
            "', '",
            'order by level_rank'
        ) }} as window_breach_counts
    from current_windows
    group by rep_id

),

breach_totals as (

    select
        rep_id,
        count(*) as total_breach_count,
        max(breach_at) as latest_breach_at
    from laddered_breaches
    where breach_at <= {{ as_of() }}
    group by rep_id

),

level_moves as (

    -- breaches that lifted the rep from below its current level to it or above, latest first
    select
        laddered_breaches.rep_id,
        laddered_breaches.lead_id,
        laddered_breaches.breach_at,
        row_number() over (
            partition by laddered_breaches.rep_id
            order by laddered_breaches.breach_at desc, laddered_breaches.breach_number desc
        ) as move_rank
    from laddered_breaches
    inner join current_levels
        on laddered_breaches.rep_id = current_levels.rep_id
    where
        current_levels.level_rank > 0
        and laddered_breaches.previous_level_rank < current_levels.level_rank
        and laddered_breaches.level_rank >= current_levels.level_rank
        and laddered_breaches.breach_at <= {{ as_of() }}

),

moving_breaches as (

    select * from level_moves
    where move_rank = 1

),

final as (

    select
        rep_keys.rep_id,
        reps.team,
        reps.manager_id,
        reps.is_active,
        coalesce(violation_ladder.ladder_level, 'none') as ladder_level,
        cast(coalesce(current_levels.level_rank, 0) as integer) as level_rank,
        violation_ladder.action,
        cast(violation_ladder.window_days as integer) as level_window_days,
        cast(violation_ladder.min_breaches as integer) as level_min_breaches,
        cast(current_windows.window_breach_count as integer) as level_window_breach_count,
        moving_breaches.lead_id as moved_by_lead_id,
        moving_breaches.breach_at as moved_by_breach_at,
        cast(coalesce(current_levels.longest_window_breach_count, 0) as integer) as longest_window_breach_count,
        current_levels.window_breach_counts,
        cast(coalesce(breach_totals.total_breach_count, 0) as integer) as total_breach_count,
        breach_totals.latest_breach_at,
        {{ as_of() }} as ladder_as_of_at
    from rep_keys
    left join reps
        on rep_keys.rep_id = reps.rep_id
    left join current_levels
        on rep_keys.rep_id = current_levels.rep_id
    left join violation_ladder
        on current_levels.level_rank = violation_ladder.level_rank
    left join current_windows
        on
            rep_keys.rep_id = current_windows.rep_id
            and current_levels.level_rank = current_windows.level_rank
    left join breach_totals
        on rep_keys.rep_id = breach_totals.rep_id
    left join moving_breaches
        on rep_keys.rep_id = moving_breaches.rep_id

)

select * from final
