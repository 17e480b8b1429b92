{#- Each calendar's working time (a clean rep's, or the default calendar: int_calendar_reps) as
    UTC intervals (contract section 3): one row per rep and
    local working date of the horizon (a `work_days` weekday that is not a holiday of the rep's
    `holiday_calendar`), [work_start_minute, work_end_minute) local time converted to UTC in the
    rep's zone (DST aware). Cumulative business minutes per rep turn "business minutes between"
    and "add N business minutes" into one lookup each (macros/business_time/). Time off does not
    remove working time (it only affects routing). Reps are quarantined in staging, so an
    unknown time zone never reaches this model. -#}
{%- set weekday_token = "',' || " ~ weekday_abbr('local_dates.work_date') ~ " || ','" -%}
with

reps as (

    select * from {{ ref('int_calendar_reps') }}

),

holidays as (

    select * from {{ ref('stg_crm__holidays') }}

),

horizon as (

    select * from {{ ref('int_calendar_horizon') }}

),

day_numbers as (

    {{ dbt.generate_series(calendar_spine_day_limit()) }}

),

local_dates as (

    select
        cast({{ dbt.dateadd('day', 'day_numbers.generated_number - 1', 'horizon.horizon_start_date') }} as date)
            as work_date,
        horizon.horizon_start_date
    from horizon
    cross join day_numbers
    where day_numbers.generated_number <= horizon.horizon_day_count

),

rep_dates as (

    select
        reps.rep_id,
        reps.timezone,
        reps.holiday_calendar,
        reps.work_start_minute,
        reps.work_end_minute,
        local_dates.work_date,
        local_dates.horizon_start_date
    from reps
    cross join local_dates
    -- work_days is a comma list of weekday tokens: ',mon,' in ',mon,tue,wed,'
    where {{ dbt.position(weekday_token, "',' || reps.work_days || ','") }} > 0

),

working_dates as (

    select rep_dates.*
    from rep_dates
    left join holidays
        on
            rep_dates.holiday_calendar = holidays.holiday_calendar
            and rep_dates.work_date = holidays.holiday_date
    where holidays.holiday_date is null

),

converted as (

    -- a local time skipped by a DST change reads with the offset before the change, a repeated
    -- one as its later occurrence (the engine's rule, see docs/time_semantics.md)
    select
        rep_id,
        timezone,
        work_date,
        horizon_start_date,
        {{ local_to_utc(
            dbt.dateadd('minute', 'work_start_minute', 'cast(work_date as ' ~ dbt.type_timestamp() ~ ')'),
            'timezone'
        ) }} as interval_start_at,
        {{ local_to_utc(
            dbt.dateadd('minute', 'work_end_minute', 'cast(work_date as ' ~ dbt.type_timestamp() ~ ')'),
            'timezone'
        ) }} as interval_end_at
    from working_dates

),

intervals as (

    -- a working day emptied by a DST change (start inside the skipped hour, end just after it)
    -- has no working time
    select
        *,
        {{ minutes_between('interval_start_at', 'interval_end_at') }} as interval_minutes
    from converted
    where interval_end_at > interval_start_at

),

sequenced as (

    select
        *,
        row_number() over (partition by rep_id order by work_date) as interval_number,
        coalesce(
            sum(interval_minutes) over (
                partition by rep_id order by work_date rows between unbounded preceding and 1 preceding
            ),
            0
        ) as cumulative_minutes_before,
        lag(interval_end_at) over (partition by rep_id order by work_date) as previous_interval_end_at,
        lead(interval_start_at) over (partition by rep_id order by work_date) as next_interval_start_at
    from intervals

),

final as (

    select
        rep_id,
        work_date,
        interval_number,
        timezone,
        interval_start_at,
        interval_end_at,
        cast(interval_minutes as {{ type_double() }}) as interval_minutes,
        cast(cumulative_minutes_before as {{ type_double() }}) as cumulative_minutes_before,
        cast(cumulative_minutes_before + interval_minutes as {{ type_double() }}) as cumulative_minutes_after,
        previous_interval_end_at,
        next_interval_start_at,
        -- lookups: the instants in [coverage_start_at, interval_end_at) resolve to this row (the
        -- gap before the interval and the interval); the first row starts at the horizon
        coalesce(
            previous_interval_end_at,
            case
                when interval_start_at < cast(horizon_start_date as {{ dbt.type_timestamp() }}) then interval_start_at
                else cast(horizon_start_date as {{ dbt.type_timestamp() }})
            end
        ) as coverage_start_at
    from sequenced

)

select * from final
