{#-
    The SLA facts incremental per lead (int_lead_sla_facts_computed, kind 'sla' of
    macros/handoff/lead_increment.sql; docs/sla.md "Incremental SLA facts").

    A lead's SLA facts (handoff, SLA rep, deadline, first valid touch, first acknowledgement,
    the minutes between them) depend on its handoff and initial assignment, its activities and
    acknowledgements up to as_of, and the working calendars. Once stored they stay right while
    as_of moves on, unless one of those changes, so a run rebuilds the leads whose handoff or
    initial assignment differs from the stored row (new handoffs included), whose activities or
    acknowledgements were loaded since the last build (a touch logged before the deadline but
    loaded after the breach was judged still turns it into `met`), or that the move of as_of
    brings an activity or an acknowledgement to; and every lead when a calendar changed.
-#}

{#- One row, one column: a checksum of every working calendar (the reps' and the default one)
    and of the holidays. Another value rebuilds every lead's SLA facts. -#}
{% macro sla_calendar_fingerprint() -%}
    {%- set calendar_row = dbt.concat([
        "'rep|'", "rep_id", "'|'", "timezone", "'|'", "coalesce(holiday_calendar, '')", "'|'",
        "coalesce(work_days, '')", "'|'",
        "cast(work_start_minute as " ~ dbt.type_string() ~ ")", "'|'",
        "cast(work_end_minute as " ~ dbt.type_string() ~ ")",
    ]) -%}
    {%- set holiday_row = dbt.concat([
        "'holiday|'", "holiday_calendar", "'|'", "cast(holiday_date as " ~ dbt.type_string() ~ ")",
    ]) -%}
    select {{ dbt.hash(dbt.listagg('calendar_row', "','", 'order by calendar_row')) }} as calendar_fingerprint
    from (
        select {{ calendar_row }} as calendar_row from {{ ref('int_calendar_reps') }}
        union all
        select {{ holiday_row }} as calendar_row from {{ ref('stg_crm__holidays') }}
    ) as calendar_rows
{%- endmacro %}


{#- For the build-state query of lead_increment('sla'): 1 when the stored facts were computed on
    other calendars. -#}
{% macro sla_calendar_changed() -%}
    max(case when calendar_fingerprint = ({{ sla_calendar_fingerprint() }}) then 0 else 1 end)
{%- endmacro %}


{#- The lead ids whose SLA facts a run rebuilds (increment from lead_increment('sla')): the
    current handoffs (a CTE of the model, one row per handed-off lead with the columns compared)
    that are new or differ from the stored row or have no deadline yet, and the leads with
    activities or acknowledgements loaded since the last build or brought in by the move of
    as_of. An activity id re-sent under another lead names both leads. -#}
{% macro sla_touched_leads(increment, handoffs) -%}
    {%- set activities = ref('base_crm__sales_activities') -%}
    {%- set compared = [
        'created_at', 'priority_tier', 'handoff_at', 'territory', 'sla_rep_id', 'team',
        'assignment_type', 'assigned_at', 'assignment_recorded_at', 'is_backfilled_assignment',
    ] -%}
    select {{ handoffs }}.lead_id
    from {{ handoffs }}
    left join {{ this }} as built
        on {{ handoffs }}.lead_id = built.lead_id
    where
        built.lead_id is null
        or built.sla_due_at is null
        {%- for column in compared %}
        or {{ handoffs }}.{{ column }} is distinct from built.{{ column }}
        {%- endfor %}
    union
    select lead_id from {{ activities }}
    where activity_id in (select activity_id from {{ activities }} where loaded_at > {{ increment.loaded_since }})
    union
    select lead_id from {{ ref('base_crm__lead_acknowledgements') }}
    where loaded_at > {{ increment.loaded_since }}
    union
    select lead_id from {{ ref('stg_crm__sales_activities') }}
    where occurred_at > {{ increment.as_of }} and occurred_at <= {{ as_of() }}
    union
    select lead_id from {{ ref('stg_crm__lead_acknowledgements') }}
    where acknowledged_at > {{ increment.as_of }} and acknowledged_at <= {{ as_of() }}
{%- endmacro %}


{#- The refs the increment reads, declared on every render so dbt knows them at parse time (a
    unit test has no `this` and gives only the model's own inputs). -#}
{% macro sla_increment_refs() -%}
    {%- if this is not none -%}
        {%- for model_name in increment_loaded_inputs('sla')
            + ['stg_crm__sales_activities', 'stg_crm__holidays'] -%}
            {%- do ref(model_name) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}


{#- The stamp of the calendars the facts were computed on; none in a unit test (no calendars)
    or in a plain table rebuilt whole (Spark, whose listagg cannot order). -#}
{% macro sla_calendar_stamp() -%}
    {%- if this is none or incremental_materialization() != 'incremental' -%}
        select cast(null as {{ dbt.type_string() }}) as calendar_fingerprint
    {%- else -%}
        {{ sla_calendar_fingerprint() }}
    {%- endif -%}
{%- endmacro %}


{#- Post-hook: a lead no longer handed off as of this run (disqualified since, say) leaves the
    facts; delete+insert only replaces the leads a run writes. -#}
{% macro delete_leads_no_longer_handed_off() -%}
    {%- if execute and is_incremental() -%}
        delete from {{ this }}
        where lead_id not in (select lead_id from {{ ref('int_leads_handed_off') }})
    {%- endif -%}
{%- endmacro %}
