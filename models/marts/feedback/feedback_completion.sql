-- Sales feedback completion (contract section 4): one row per rep x week (Monday, UTC) of
-- handoff with at least one routed handed-off lead, for the lead's SLA rep (the initial
-- assignment's rep, whose calendar sets the feedback deadline). completion_rate = leads with a
-- documented verdict in time / leads whose feedback is decided (in time, late, or overdue: no
-- verdict and the deadline has passed); leads still inside their window are pending and not
-- counted yet, as in sla_compliance. Team figures sum the week's reps of the rep's current team.
with

feedback as (

    select * from {{ ref('int_lead_feedback_evaluated') }}

),

reps as (

    select * from {{ ref('stg_crm__sales_reps') }}

),

weekly as (

    select
        sla_rep_id as rep_id,
        cast({{ dbt.date_trunc('week', 'handoff_at') }} as date) as week_start_date,
        count(*) as leads_handed_off,
        sum(case when feedback_status = 'in_time' then 1 else 0 end) as leads_dispositioned_in_time,
        sum(case when feedback_status = 'late' then 1 else 0 end) as leads_dispositioned_late,
        sum(case when feedback_status = 'overdue' then 1 else 0 end) as leads_feedback_overdue,
        sum(case when feedback_status in ('pending', 'no_deadline') then 1 else 0 end) as leads_feedback_pending
    from feedback
    group by sla_rep_id, cast({{ dbt.date_trunc('week', 'handoff_at') }} as date)

),

decided as (

    select
        weekly.*,
        reps.team,
        weekly.leads_dispositioned_in_time + weekly.leads_dispositioned_late + weekly.leads_feedback_overdue
            as leads_feedback_due
    from weekly
    left join reps
        on weekly.rep_id = reps.rep_id

),

team_totals as (

    select
        *,
        sum(leads_dispositioned_in_time) over (partition by team, week_start_date) as team_leads_dispositioned_in_time,
        sum(leads_feedback_due) over (partition by team, week_start_date) as team_leads_feedback_due
    from decided

),

final as (

    select
        rep_id,
        week_start_date,
        cast(leads_handed_off as integer) as leads_handed_off,
        cast(leads_dispositioned_in_time as integer) as leads_dispositioned_in_time,
        cast(
            case
                when
                    leads_feedback_due > 0
                    then cast(leads_dispositioned_in_time as {{ type_double() }}) / leads_feedback_due
            end
            as {{ type_double() }}
        ) as completion_rate,
        team,
        cast(leads_feedback_due as integer) as leads_feedback_due,
        cast(leads_dispositioned_late as integer) as leads_dispositioned_late,
        cast(leads_feedback_overdue as integer) as leads_feedback_overdue,
        cast(leads_feedback_pending as integer) as leads_feedback_pending,
        cast(
            case
                when team_leads_feedback_due > 0
                    then cast(team_leads_dispositioned_in_time as {{ type_double() }}) / team_leads_feedback_due
            end
            as {{ type_double() }}
        ) as team_completion_rate,
        cast({{ dbt.dateadd('day', 7, 'week_start_date') }} as {{ dbt.type_timestamp() }}) <= {{ as_of() }}
            as is_complete_week,
        {{ as_of() }} as completion_as_of_at
    from team_totals

)

select * from final
