{#- For every SLA breach and every level of the violation ladder (seed violation_ladder): how many
    breaches the rep had in that level's window ending at this breach, i.e. with breach_at in
    (breach_at - window_days, breach_at], counting this breach and the rep's earlier ones
    (breaches at the same instant count in lead_id order). A breach exactly window_days old has
    left the window.

    Window lengths are data, and a window frame's offset must be a literal, so the rolling count
    is a sweep instead: per rep and level, the breaches and the instants their windows open are
    sorted on one numeric epoch-seconds line; the running number of breaches at a window's
    opening, subtracted from the breach's own number, is the count inside the window. One sort,
    portable, no self-join. -#}
with

breaches as (

    -- a breach of a lead nobody owns has no rep to put on the ladder
    select * from {{ ref('int_sla_breaches_attributed') }}
    where breach_rep_id is not null

),

violation_ladder as (

    select * from {{ ref('violation_ladder') }}

),

numbered_breaches as (

    select
        breach_rep_id as rep_id,
        lead_id,
        breach_at,
        {{ epoch_seconds('breach_at') }} as breach_epoch_seconds,
        row_number() over (partition by breach_rep_id order by breach_at, lead_id) as breach_number
    from breaches

),

breach_levels as (

    select
        numbered_breaches.*,
        violation_ladder.ladder_level,
        violation_ladder.level_rank,
        violation_ladder.min_breaches,
        violation_ladder.window_days,
        numbered_breaches.breach_epoch_seconds - violation_ladder.window_days * 86400 as window_open_epoch_seconds
    from numbered_breaches
    cross join violation_ladder

),

sweep as (

    -- a breach adds 1; a window opening adds nothing and sorts after breaches at the same
    -- instant, so a breach exactly window_days old is counted as before the window
    select
        rep_id,
        ladder_level,
        breach_epoch_seconds as sweep_epoch_seconds,
        0 as is_window_opening,
        1 as breach_increment,
        cast(null as {{ dbt.type_string() }}) as lead_id
    from breach_levels
    union all
    select
        rep_id,
        ladder_level,
        window_open_epoch_seconds as sweep_epoch_seconds,
        1 as is_window_opening,
        0 as breach_increment,
        lead_id
    from breach_levels

),

swept as (

    select
        rep_id,
        ladder_level,
        lead_id,
        is_window_opening,
        sum(breach_increment) over (
            partition by rep_id, ladder_level
            order by sweep_epoch_seconds, is_window_opening
            rows between unbounded preceding and current row
        ) as breaches_before_window
    from sweep

),

window_openings as (

    select * from swept
    where is_window_opening = 1

),

final as (

    select
        breach_levels.rep_id,
        breach_levels.lead_id,
        breach_levels.breach_at,
        breach_levels.breach_number,
        breach_levels.ladder_level,
        breach_levels.level_rank,
        breach_levels.min_breaches,
        breach_levels.window_days,
        breach_levels.breach_number - window_openings.breaches_before_window as window_breach_count,
        breach_levels.breach_number - window_openings.breaches_before_window
        >= breach_levels.min_breaches as is_threshold_met,
        -- the same window just before this breach (without it)
        breach_levels.breach_number - window_openings.breaches_before_window - 1
        >= breach_levels.min_breaches as was_threshold_met_before
    from breach_levels
    inner join window_openings
        on
            breach_levels.rep_id = window_openings.rep_id
            and breach_levels.ladder_level = window_openings.ladder_level
            and breach_levels.lead_id = window_openings.lead_id

)

select * from final
