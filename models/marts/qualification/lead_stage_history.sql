-- One row per lead x lifecycle stage it entered (as of as_of): `unqualified` at created_at,
-- `mql` at mql_at, `sql` at sql_at, with the event and rule that moved it. Stages only move
-- forward; a disqualified lead stays unqualified (it never counts as an MQL or SQL).
with

leads as (

    select * from {{ ref('stg_crm__leads') }}

),

tiered as (

    select * from {{ ref('int_leads_tiered') }}

),

entries as (

    select
        tiered.lead_id,
        'unqualified' as qualification_stage,
        1 as stage_order,
        leads.created_at as entered_at,
        'lead_created' as trigger_kind,
        cast(null as {{ dbt.type_string() }}) as trigger_event_id
    from tiered
    inner join leads
        on tiered.lead_id = leads.lead_id
    union all
    select
        lead_id,
        'mql' as qualification_stage,
        2 as stage_order,
        mql_at as entered_at,
        mql_rule_kind as trigger_kind,
        mql_event_id as trigger_event_id
    from tiered
    where mql_at is not null
    union all
    select
        lead_id,
        'sql' as qualification_stage,
        3 as stage_order,
        sql_at as entered_at,
        'explicit_intent' as trigger_kind,
        sql_event_id as trigger_event_id
    from tiered
    where sql_at is not null

),

final as (

    select
        entries.lead_id,
        entries.qualification_stage,
        entries.stage_order,
        entries.entered_at,
        entries.trigger_kind,
        entries.trigger_event_id,
        lead(entries.entered_at) over (
            partition by entries.lead_id order by entries.stage_order
        ) as exited_at,
        entries.qualification_stage = tiered.qualification_stage as is_current_stage
    from entries
    inner join tiered
        on entries.lead_id = tiered.lead_id

)

select * from final
