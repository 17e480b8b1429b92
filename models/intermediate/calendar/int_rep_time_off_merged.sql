-- Each rep's time off as non-overlapping spans [starts_at, ends_at): overlapping or touching
-- rows of rep_time_off are merged, so "is the rep away at this instant" is one left join that
-- finds at most one span (macro join_rep_time_off). Time off removes a rep from routing and
-- escalation; it never moves an SLA clock (contract section 3).
with

time_off as (

    select * from {{ ref('stg_crm__rep_time_off') }}

),

ordered as (

    select
        rep_id,
        starts_at,
        ends_at,
        max(ends_at) over (
            partition by rep_id
            order by starts_at, ends_at
            rows between unbounded preceding and 1 preceding
        ) as previous_latest_end_at
    from time_off

),

islands as (

    -- a span that starts after every earlier span ended opens a new island
    select
        *,
        sum(case when previous_latest_end_at >= starts_at then 0 else 1 end) over (
            partition by rep_id
            order by starts_at, ends_at
            rows between unbounded preceding and current row
        ) as island_number
    from ordered

),

final as (

    select
        rep_id,
        min(starts_at) as starts_at,
        max(ends_at) as ends_at,
        count(*) as time_off_row_count
    from islands
    group by rep_id, island_number

)

select * from final
