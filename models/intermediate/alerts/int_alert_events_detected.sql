-- Every lead-level event that may warrant an alert (sla_alerts turns them into messages with
-- seeds alert_types and alert_routes): an assignment (initial or escalation; event_variant =
-- its assignment_type), a pending first-touch deadline, a breach, a handed-off lead nobody
-- owns, a rep moving up the violation ladder (event_variant = the level). Each with the rep
-- and team it concerns, its tier and the instant it happened; event_detail says it in words.
with

assignments as (

    select * from {{ ref('int_assignments_sequenced') }}

),

lead_sla as (

    select * from {{ ref('int_leads_sla_evaluated') }}

),

ladder_moves as (

    select * from {{ ref('int_rep_breaches_laddered') }}
    where is_level_up

),

current_owners as (

    select
        lead_id,
        rep_id
    from (
        select
            lead_id,
            rep_id,
            row_number() over (partition by lead_id order by assignment_sequence desc) as holder_rank
        from assignments
    ) as ranked_holders
    where holder_rank = 1

),

alert_events as (

    -- every event that may warrant a message, with the rep and team it concerns
    select
        'assignment' as event_kind,
        assignments.assignment_type as event_variant,
        assignments.assignment_id as source_id,
        assignments.lead_id,
        assignments.rep_id as subject_rep_id,
        assignments.team as subject_team,
        lead_sla.priority_tier,
        assignments.assigned_at as event_at,
        assignments.routing_reason as event_detail
    from assignments
    left join lead_sla
        on assignments.lead_id = lead_sla.lead_id
    union all
    select
        'sla_deadline' as event_kind,
        cast(null as {{ dbt.type_string() }}) as event_variant,
        lead_sla.lead_id as source_id,
        lead_sla.lead_id,
        current_owners.rep_id as subject_rep_id,
        lead_sla.team as subject_team,
        lead_sla.priority_tier,
        lead_sla.sla_due_at as event_at,
        'First valid touch due by ' || cast(lead_sla.sla_due_at as {{ dbt.type_string() }}) || ' UTC.' as event_detail
    from lead_sla
    left join current_owners
        on lead_sla.lead_id = current_owners.lead_id
    where lead_sla.sla_status = 'pending'
    union all
    select
        'sla_breach' as event_kind,
        cast(null as {{ dbt.type_string() }}) as event_variant,
        lead_sla.lead_id as source_id,
        lead_sla.lead_id,
        current_owners.rep_id as subject_rep_id,
        lead_sla.team as subject_team,
        lead_sla.priority_tier,
        lead_sla.breach_at as event_at,
        'Was due ' || cast(lead_sla.sla_due_at as {{ dbt.type_string() }}) || ' UTC.' as event_detail
    from lead_sla
    left join current_owners
        on lead_sla.lead_id = current_owners.lead_id
    where lead_sla.sla_status = 'breached'
    union all
    select
        'unassigned' as event_kind,
        cast(null as {{ dbt.type_string() }}) as event_variant,
        lead_id as source_id,
        lead_id,
        cast(null as {{ dbt.type_string() }}) as subject_rep_id,
        team as subject_team,
        priority_tier,
        handoff_at as event_at,
        'Its first touch is due ' || cast(sla_due_at as {{ dbt.type_string() }})
        || ' UTC on the default calendar.' as event_detail
    from lead_sla
    where not is_routed
    union all
    select
        'ladder_level_up' as event_kind,
        ladder_level as event_variant,
        rep_id || ':' || lead_id as source_id,
        lead_id,
        rep_id as subject_rep_id,
        breach_team as subject_team,
        priority_tier,
        breach_at as event_at,
        'Rep ' || rep_id || ' reached level ' || ladder_level || ' (' || window_breach_counts || '): ' || action
        || '.' as event_detail
    from ladder_moves

),

final as (

    select * from alert_events

)

select * from final
