-- Sales' disposition history (issue 14): one row per clean disposition event at or before
-- as_of, in order per lead, with what marketing needs to learn from it: the lead's campaign and
-- source, its running score when sales judged it, and whether it came within the feedback
-- window (int_lead_feedback_evaluated). Rejections always carry a reason: staging quarantines a
-- rejection without one (quarantined_records).
with

dispositions as (

    select * from {{ ref('stg_crm__lead_dispositions') }}
    where disposed_at <= {{ as_of() }}

),

reps as (

    select * from {{ ref('stg_crm__sales_reps') }}

),

leads as (

    select * from {{ ref('leads') }}

),

feedback as (

    select * from {{ ref('int_lead_feedback_evaluated') }}

),

feedback_statuses as (

    select * from {{ ref('feedback_statuses') }}

),

score_bands as (

    select * from {{ ref('score_bands') }}

),

scores_at_disposition as (

    {{ running_score_at('dispositions', 'disposition_id', 'disposed_at', 'total_score') }}

),

sequenced as (

    select
        dispositions.*,
        row_number() over (
            partition by dispositions.lead_id order by dispositions.disposed_at, dispositions.disposition_id
        ) as disposition_number,
        lag(dispositions.status) over (
            partition by dispositions.lead_id order by dispositions.disposed_at, dispositions.disposition_id
        ) as previous_status,
        count(*) over (partition by dispositions.lead_id) as lead_disposition_count
    from dispositions

),

final as (

    select
        sequenced.disposition_id,
        sequenced.lead_id,
        sequenced.rep_id,
        reps.team as rep_team,
        sequenced.disposed_at,
        sequenced.status,
        sequenced.rejection_reason,
        sequenced.notes,
        cast(sequenced.disposition_number as integer) as disposition_number,
        sequenced.previous_status,
        sequenced.disposition_number = sequenced.lead_disposition_count as is_latest_disposition,
        coalesce(feedback_statuses.is_documented_feedback, false) as is_documented_feedback,
        coalesce(feedback.feedback_disposition_id = sequenced.disposition_id, false) as is_first_documented_feedback,
        feedback.priority_tier,
        feedback.handoff_at,
        feedback.sla_rep_id,
        feedback.feedback_due_at,
        sequenced.disposed_at <= feedback.feedback_due_at as is_within_feedback_window,
        leads.campaign_id,
        leads.lead_source,
        cast(scores_at_disposition.total_score as {{ type_double() }}) as total_score_at_disposition,
        score_bands.score_band as score_band_at_disposition,
        {{ as_of() }} as disposition_as_of_at
    from sequenced
    left join reps
        on sequenced.rep_id = reps.rep_id
    left join leads
        on sequenced.lead_id = leads.lead_id
    left join feedback
        on sequenced.lead_id = feedback.lead_id
    left join feedback_statuses
        on sequenced.status = feedback_statuses.status
    left join scores_at_disposition
        on sequenced.disposition_id = scores_at_disposition.disposition_id
    left join score_bands
        on
            scores_at_disposition.total_score >= score_bands.min_score
            and (score_bands.max_score is null or scores_at_disposition.total_score < score_bands.max_score)

)

select * from final
