-- How the receivers of escalations responded (contract section 2; issue 8): one row per
-- escalation of the ledger. A backup or manager who receives a lead is held to their own
-- response window, not to the violation ladder (breaches count against the SLA rep). The
-- window is the tier's acknowledgement window a holder gets (seed escalation_policies, level
-- 2, on the receiver's calendar, never later than the off-hours window); the receiver's
-- response is their own acknowledgement or valid touch at or after the escalation.
-- response_status: met (responded by the due time), missed (later, or not at all and as_of is
-- past it), pending.
with

escalations as (

    select * from {{ ref('int_assignments_escalated') }}

),

handed_off_leads as (

    select * from {{ ref('int_leads_handed_off') }}

),

escalation_policies as (

    select * from {{ ref('escalation_policies') }}

),

acknowledgements as (

    select * from {{ ref('stg_crm__lead_acknowledgements') }}
    where acknowledged_at <= {{ as_of() }}

),

valid_touches as (

    select * from {{ ref('int_sales_activities_classified') }}
    where is_valid_touch and occurred_at <= {{ as_of() }}

),

ranked_policies as (

    select
        escalations.assignment_id,
        escalation_policies.in_hours_business_minutes,
        escalation_policies.off_hours_calendar_minutes,
        row_number() over (
            partition by escalations.assignment_id
            order by case when escalation_policies.priority_tier is null then 1 else 0 end
        ) as policy_rank
    from escalations
    inner join handed_off_leads
        on escalations.lead_id = handed_off_leads.lead_id
    inner join escalation_policies
        on
            escalation_policies.escalation_level = 2
            and (
                escalation_policies.priority_tier is null
                or handed_off_leads.priority_tier = escalation_policies.priority_tier
            )

),

windows as (

    select
        escalations.assignment_id,
        escalations.lead_id,
        escalations.rep_id,
        escalations.team,
        escalations.assignment_type,
        escalations.escalation_level,
        escalations.assigned_at,
        handed_off_leads.priority_tier,
        ranked_policies.in_hours_business_minutes,
        ranked_policies.off_hours_calendar_minutes
    from escalations
    inner join handed_off_leads
        on escalations.lead_id = handed_off_leads.lead_id
    left join ranked_policies
        on
            escalations.assignment_id = ranked_policies.assignment_id
            and ranked_policies.policy_rank = 1

),

due as (

    {{ sla_deadline(
        'windows', 'rep_id', 'assigned_at', 'in_hours_business_minutes', 'off_hours_calendar_minutes',
        'response_due_at', 'is_assigned_in_working_time'
    ) }}

),

receiver_responses as (

    select
        lead_id,
        rep_id,
        acknowledged_at as responded_at
    from acknowledgements
    union all
    select
        lead_id,
        rep_id,
        occurred_at as responded_at
    from valid_touches

),

first_responses as (

    select
        due.assignment_id,
        min(receiver_responses.responded_at) as first_response_at
    from due
    inner join receiver_responses
        on
            due.lead_id = receiver_responses.lead_id
            and due.rep_id = receiver_responses.rep_id
            and due.assigned_at <= receiver_responses.responded_at
    group by due.assignment_id

),

responded as (

    select
        due.*,
        first_responses.first_response_at
    from due
    left join first_responses
        on due.assignment_id = first_responses.assignment_id

),

measured as (

    {{ business_minutes_between(
        'responded', 'rep_id', 'assigned_at', 'first_response_at', 'response_business_minutes'
    ) }}

),

final as (

    select
        assignment_id,
        lead_id,
        rep_id,
        team,
        assignment_type,
        cast(escalation_level as integer) as escalation_level,
        cast(priority_tier as integer) as priority_tier,
        assigned_at,
        is_assigned_in_working_time,
        response_due_at,
        first_response_at,
        cast(response_business_minutes as {{ type_double() }}) as response_business_minutes,
        case
            when first_response_at <= response_due_at then 'met'
            when first_response_at > response_due_at then 'missed'
            when {{ as_of() }} > response_due_at then 'missed'
            else 'pending'
        end as response_status,
        {{ as_of() }} as responses_as_of_at
    from measured

)

select * from final
