-- One row per alert to deliver (contract section 4). Long because it is the one place where every
-- kind of event meets seeds alert_types and alert_routes and the recipient each resolves to.
-- Which events send which alert is data:
-- seed alert_types names, per kind of event (an assignment, an SLA deadline coming up, a
-- breach, a lead nobody can own, a rep moving up the violation ladder, a sustained compliance
-- drop, and the feedback notices to marketing: an opportunity, a deal won, a rejection, a
-- disqualification) and variant (assignment type, ladder level, disposition status), the alert
-- types it raises and when; seed alert_routes sends each alert type to recipients (the rep
-- concerned, their manager, the team's manager, operations, the marketing channel of the lead's
-- campaign, seed marketing_channels) on channels. Only events of the last alert_lookback_minutes
-- before as_of alert, so a backfill pages nobody about last month. alert_key is
-- deterministic: delivery records what it sent and never sends it twice. Messages carry the
-- lead id, a masked email and a CRM link: never an email address or a phone number.
with

lead_events as (

    select * from {{ ref('int_alert_events_detected') }}

),

feedback_events as (

    select * from {{ ref('int_feedback_events_detected') }}

),

lead_sla as (

    select * from {{ ref('lead_sla') }}

),

compliance_drops as (

    select * from {{ ref('compliance_drops') }}
    where is_drop_start

),

leads as (

    select * from {{ ref('stg_crm__leads') }}

),

campaigns as (

    select * from {{ ref('stg_marketing__campaigns') }}

),

marketing_channels as (

    select * from {{ ref('marketing_channels') }}

),

reps as (

    select * from {{ ref('stg_crm__sales_reps') }}

),

team_managers as (

    select * from {{ ref('int_team_managers_resolved') }}

),

alert_types as (

    select * from {{ ref('alert_types') }}

),

alert_routes as (

    select * from {{ ref('alert_routes') }}

),

alert_context as (

    select * from {{ ref('int_leads_alert_context') }}

),

lead_marketing_channels as (

    -- the Slack channel where marketing hears about a lead: its campaign channel's, else the default
    select
        leads.lead_id,
        coalesce(marketing_channels.slack_channel, '{{ var("default_marketing_slack_channel") }}')
            as slack_channel
    from leads
    left join campaigns
        on leads.campaign_id = campaigns.campaign_id
    left join marketing_channels
        on campaigns.channel = marketing_channels.campaign_channel

),

alert_events as (

    -- the lead-level events, the feedback on leads, and the team-level compliance drops
    select * from lead_events
    union all
    select * from feedback_events
    union all
    select
        'compliance_drop' as event_kind,
        cast(null as {{ dbt.type_string() }}) as event_variant,
        compliance_drop_rule_id || ':' || team || ':' || cast(priority_tier as {{ dbt.type_string() }}) || ':'
        || cast(period_start_date as {{ dbt.type_string() }}) as source_id,
        cast(null as {{ dbt.type_string() }}) as lead_id,
        cast(null as {{ dbt.type_string() }}) as subject_rep_id,
        team as subject_team,
        priority_tier,
        cast(period_end_date as {{ dbt.type_timestamp() }}) as event_at,
        'Team ' || team || ', tier ' || cast(priority_tier as {{ dbt.type_string() }}) || ': compliance '
        || {{ double_text(round_to('100 * compliance_rate', 1)) }} || ' % (target from '
        || {{ double_text(round_to('100 * target_min', 1)) }} || ' %), below the band for '
        || cast(periods_below_in_a_row as {{ dbt.type_string() }}) || ' ' || period_grain || '(s) in a row.'
            as event_detail
    from compliance_drops

),

timed_alerts as (

    -- each event x the alert types its kind and variant raise; a type may alert ahead of the
    -- event (minutes_before_due: a reminder before a deadline)
    select
        alert_events.*,
        alert_types.alert_type,
        alert_types.headline,
        case
            when alert_types.minutes_before_due is null then alert_events.event_at
            else {{ dbt.dateadd('minute', '-1 * alert_types.minutes_before_due', 'alert_events.event_at') }}
        end as alert_at
    from alert_events
    inner join alert_types
        on
            alert_events.event_kind = alert_types.event_kind
            and (alert_types.event_variant is null or alert_events.event_variant = alert_types.event_variant)

),

recent_alerts as (

    select * from timed_alerts
    where
        alert_at <= {{ as_of() }}
        and alert_at > {{ dbt.dateadd('minute', -1 * var('alert_lookback_minutes'), as_of()) }}

),

routed_alerts as (

    -- each alert x every route of its type (and the lead's tier), to the right person
    select
        recent_alerts.*,
        alert_routes.alert_route_id,
        alert_routes.recipient_role,
        alert_routes.channel,
        case alert_routes.recipient_role
            when 'assignee' then recent_alerts.subject_rep_id
            when 'manager' then subjects.manager_id
            when 'team_manager' then team_managers.manager_rep_id
        end as recipient_rep_id,
        case when alert_routes.recipient_role = 'marketing' then lead_marketing_channels.slack_channel end
            as recipient_slack_channel
    from recent_alerts
    inner join alert_routes
        on
            recent_alerts.alert_type = alert_routes.alert_type
            and (alert_routes.priority_tier is null or recent_alerts.priority_tier = alert_routes.priority_tier)
    left join reps as subjects
        on recent_alerts.subject_rep_id = subjects.rep_id
    left join team_managers
        on recent_alerts.subject_team = team_managers.team
    left join lead_marketing_channels
        on recent_alerts.lead_id = lead_marketing_channels.lead_id

),

deliverable_alerts as (

    -- operations always exists, marketing whenever the lead does; a rep role must resolve to a
    -- known rep
    select
        routed_alerts.*,
        case
            when routed_alerts.recipient_role = 'operations' then 'operations'
            when routed_alerts.recipient_role = 'marketing' then 'marketing:' || routed_alerts.recipient_slack_channel
            else routed_alerts.recipient_rep_id
        end as recipient
    from routed_alerts
    left join reps as recipients
        on routed_alerts.recipient_rep_id = recipients.rep_id
    where
        routed_alerts.recipient_role = 'operations'
        or (routed_alerts.recipient_role = 'marketing' and routed_alerts.recipient_slack_channel is not null)
        or recipients.rep_id is not null

),

final as (

    select
        {{ dbt.hash(
            "deliverable_alerts.alert_type || '|' || deliverable_alerts.source_id || '|'
            || deliverable_alerts.recipient || '|' || deliverable_alerts.channel"
        ) }} as alert_key,
        deliverable_alerts.lead_id,
        deliverable_alerts.recipient_rep_id as rep_id,
        deliverable_alerts.recipient,
        deliverable_alerts.alert_type,
        deliverable_alerts.event_kind,
        deliverable_alerts.channel,
        lead_sla.sla_due_at as due_at,
        deliverable_alerts.recipient_role,
        deliverable_alerts.alert_route_id,
        deliverable_alerts.event_at,
        deliverable_alerts.alert_at,
        deliverable_alerts.subject_rep_id,
        deliverable_alerts.subject_team as team,
        deliverable_alerts.priority_tier,
        lead_sla.sla_status,
        lead_sla.minutes_overdue,
        {{ mask_email('leads.email') }} as masked_email,
        leads.company_name,
        recipients.slack_member_id as recipient_slack_member_id,
        deliverable_alerts.recipient_slack_channel,
        case when deliverable_alerts.lead_id is not null then {{ crm_lead_url('deliverable_alerts.lead_id') }} end
            as crm_lead_url,
        deliverable_alerts.headline,
        deliverable_alerts.event_detail,
        deliverable_alerts.headline || ': ' || deliverable_alerts.event_detail
        || coalesce(
            ' (lead ' || deliverable_alerts.lead_id || ', tier '
            || coalesce(cast(deliverable_alerts.priority_tier as {{ dbt.type_string() }}), '?') || ')',
            ''
        ) as message,
        recipients.full_name as recipient_name,
        recipients.timezone as recipient_timezone,
        {{ alert_context_columns('alert_context') }}
    from deliverable_alerts
    left join lead_sla
        on deliverable_alerts.lead_id = lead_sla.lead_id
    left join reps as recipients
        on deliverable_alerts.recipient_rep_id = recipients.rep_id
    left join leads
        on deliverable_alerts.lead_id = leads.lead_id
    left join alert_context
        on deliverable_alerts.lead_id = alert_context.lead_id

)

select * from final
