{#- Sales feedback on every routed handed-off lead (issue 14): the deadline for a documented
    verdict and whether it came in time. The deadline is `window_business_days` (seed
    feedback_windows, per tier) business days of the SLA rep's working calendar after handoff:
    N x the rep's working-day length in business minutes (macros/business_time), so Friday
    15:00 + 2 days is Tuesday 15:00 and a handoff outside working hours counts from the next
    opening. A verdict is the lead's first clean disposition at or before as_of whose status
    counts as documented feedback (seed feedback_statuses), by any rep. -#}
with

handed_off as (

    select * from {{ ref('int_leads_sla_evaluated') }}
    where is_routed

),

reps as (

    select * from {{ ref('stg_crm__sales_reps') }}

),

feedback_windows as (

    select * from {{ ref('feedback_windows') }}

),

feedback_statuses as (

    select * from {{ ref('feedback_statuses') }}
    where is_documented_feedback

),

dispositions as (

    select * from {{ ref('stg_crm__lead_dispositions') }}
    where disposed_at <= {{ as_of() }}

),

windowed as (

    select
        handed_off.lead_id,
        handed_off.priority_tier,
        handed_off.sla_rep_id,
        handed_off.team,
        handed_off.handoff_at,
        feedback_windows.window_business_days,
        feedback_windows.window_business_days * (reps.work_end_minute - reps.work_start_minute)
            as window_business_minutes
    from handed_off
    left join reps
        on handed_off.sla_rep_id = reps.rep_id
    left join feedback_windows
        on handed_off.priority_tier = feedback_windows.priority_tier

),

deadlines as (

    {{ add_working_minutes('windowed', 'sla_rep_id', 'handoff_at', 'window_business_minutes', 'feedback_due_at') }}

),

ranked_verdicts as (

    select
        dispositions.lead_id,
        dispositions.disposition_id,
        dispositions.disposed_at,
        dispositions.status,
        dispositions.rep_id,
        row_number() over (
            partition by dispositions.lead_id
            order by dispositions.disposed_at, dispositions.disposition_id
        ) as verdict_rank
    from dispositions
    inner join feedback_statuses
        on dispositions.status = feedback_statuses.status

),

first_verdicts as (

    select * from ranked_verdicts
    where verdict_rank = 1

),

final as (

    select
        deadlines.lead_id,
        deadlines.priority_tier,
        deadlines.sla_rep_id,
        deadlines.team,
        deadlines.handoff_at,
        deadlines.window_business_days,
        deadlines.window_business_minutes,
        deadlines.feedback_due_at,
        first_verdicts.disposition_id as feedback_disposition_id,
        first_verdicts.disposed_at as feedback_at,
        first_verdicts.status as feedback_disposition_status,
        first_verdicts.rep_id as feedback_rep_id,
        case
            -- the SLA rep has no usable calendar (lead_sla warns about it): no deadline to judge by
            when deadlines.feedback_due_at is null then 'no_deadline'
            when first_verdicts.disposed_at <= deadlines.feedback_due_at then 'in_time'
            when first_verdicts.disposed_at > deadlines.feedback_due_at then 'late'
            when deadlines.feedback_due_at < {{ as_of() }} then 'overdue'
            else 'pending'
        end as feedback_status
    from deadlines
    left join first_verdicts
        on deadlines.lead_id = first_verdicts.lead_id

)

select * from final
