{#-
    Incremental per lead (README "Performance and scale", docs/qualification.md, docs/sla.md).

    The lead x version and lead x event tables of the scoring chain
    (int_lead_attributes_versioned, int_lead_attribute_rules_matched,
    int_lead_attribute_points_scored, int_lead_events_scored, int_lead_event_bursts_detected,
    int_lead_event_types_grouped, int_lead_score_moments) and the SLA facts
    (int_lead_sla_facts_computed, kind 'sla', macros/handoff/sla_increment.sql) are incremental
    per lead: a run rebuilds every row of the leads whose inputs changed since the table was
    last built (delete+insert on lead_id) and keeps the other leads' rows. Their rows hold no
    as_of-dependent value (decay is stored as growth since the lead's creation, the SLA status
    is judged downstream), so a kept row stays right while as_of moves on; the cheap per-lead
    steps that read as_of (int_lead_scores_current, int_lead_score_rules_fired,
    int_leads_sla_evaluated) are rebuilt every run.

    Every row records the build that wrote it (lead_build_columns): built_as_of (the run's
    as_of), built_loaded_at (the latest `_loaded_at` of the kind's raw inputs the build saw,
    increment_loaded_inputs) and rules_fingerprint (lead_rules_fingerprint).

    - lead_increment(kind): none when every lead must be rebuilt: a first or full-refresh
      build, a unit test, Spark (plain tables there, see incremental_materialization), a table
      from before these columns, as_of earlier than the last build's, another fingerprint, a
      raw input replaced since (`handoff load` without --append) or, for the SLA facts, another
      working calendar; otherwise the previous build's as_of and loaded_at (minus var
      incremental_lookback_minutes) as SQL literals.
    - touched_leads(increment): the lead ids scoring rebuilds: leads with raw events, CRM rows or
      enrichment loaded since (every lead an updated event id was ever staged under, so an
      event that moves to another lead leaves the old one too), and leads with an event, a
      creation or an enrichment that the move of as_of brings in.
    - scoring_leads_filter(increment, column): the filter on a model's inputs.
    - delete_all_when_rescored(kind): the pre-hook that empties the table when every lead is
      rebuilt, so leads gone from replaced raw tables go from the table too.
-#}

{#- A checksum of this model's SQL and of every model and seed upstream of it: a rule edited
    in a seed or model upstream rebuilds every lead. (A macro edit is not seen, and these
    models read no var: build with --full-refresh after one.) -#}
{% macro lead_rules_fingerprint() -%}
    {#- (no graph while parsing or in a unit test) -#}
    {%- if not execute or this is none or graph.nodes is not defined -%}
        {{- return('') -}}
    {%- endif -%}
    {%- set queue = [model.unique_id] -%}
    {%- set checksums = [] -%}
    {%- for unique_id in queue -%}
        {%- set node = graph.nodes.get(unique_id) -%}
        {%- if node is not none -%}
            {%- do checksums.append(unique_id ~ '=' ~ node.checksum.checksum) -%}
            {%- for parent in node.depends_on.nodes -%}
                {%- if parent not in queue and parent.split('.')[0] in ('model', 'seed') -%}
                    {%- do queue.append(parent) -%}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endfor -%}
    {{- return(local_md5(checksums | sort | join(','))) -}}
{%- endmacro %}


{#- The raw inputs whose loads rebuild leads, as the base_ models that keep each row's
    `_loaded_at`: scoring reads events, leads and enrichment; the SLA facts activities and
    acknowledgements (macros/handoff/sla_increment.sql). -#}
{% macro increment_loaded_inputs(kind='scoring') -%}
    {%- if kind == 'sla' -%}
        {{- return(['base_crm__sales_activities', 'base_crm__lead_acknowledgements']) -}}
    {%- endif -%}
    {{- return(['base_marketing__events', 'base_crm__leads', 'base_enrichment__lead_enrichment']) -}}
{%- endmacro %}


{#- Over a kind's raw inputs: the latest `_loaded_at` (aggregate max), or the latest of their
    earliest ones (min: later than the watermark once a table was replaced). -#}
{% macro inputs_loaded_at(kind='scoring', aggregate='max') -%}
    (
        select max(loaded_at) from (
            {%- for model_name in increment_loaded_inputs(kind) %}
            select {{ aggregate }}(loaded_at) as loaded_at from {{ ref(model_name) }}
            {%- if not loop.last %}
            union all
            {%- endif %}
            {%- endfor %}
        ) as loaded
    )
{%- endmacro %}


{#- The config of a model incremental per lead. It reads the base_ models for their load
    watermarks, quarantined rows included (an event id re-sent under another lead names both
    leads), hence the tag. The SLA facts also drop the leads no longer handed off. -#}
{% macro lead_incremental_config(kind='scoring') -%}
    {{ config(
        tags=['reads_quarantined_rows'],
        materialized=incremental_materialization(),
        incremental_strategy='delete+insert',
        unique_key='lead_id',
        on_schema_change='sync_all_columns',
        pre_hook="{{ delete_all_when_rescored('" ~ kind ~ "') }}",
        post_hook=("{{ delete_leads_no_longer_handed_off() }}" if kind == 'sla' else [])
    ) }}
{%- endmacro %}


{#- The build stamp every row of a model incremental per lead carries. -#}
{% macro lead_build_columns(kind='scoring') -%}
    {{ as_of() }} as built_as_of,
    {% if this is none -%}
        cast(null as {{ dbt.type_timestamp() }}) as built_loaded_at,
    {%- else -%}
        {{ inputs_loaded_at(kind, 'max') }} as built_loaded_at,
    {%- endif %}
    cast('{{ lead_rules_fingerprint() }}' as {{ dbt.type_string() }}) as rules_fingerprint
{%- endmacro %}


{% macro lead_increment(kind='scoring') -%}
    {#- (a unit test has no `this`: it scores its given rows as a first build does) -#}
    {%- if not execute or this is none or not is_incremental() -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set built_columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
    {%- if 'rules_fingerprint' not in built_columns
        or (kind == 'sla' and 'calendar_fingerprint' not in built_columns) -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set lookback = var('incremental_lookback_minutes') | int -%}
    {%- set state = run_query(
        'select count(*) as builds, '
        ~ 'max(case when rules_fingerprint = \'' ~ lead_rules_fingerprint() ~ '\' then 0 else 1 end) as is_other_rules, '
        ~ 'max(case when built_as_of > ' ~ as_of() ~ ' then 1 else 0 end) as is_as_of_earlier, '
        ~ 'case when max(built_loaded_at) < ' ~ inputs_loaded_at(kind, 'min') ~ ' then 1 else 0 end as is_raw_replaced, '
        ~ 'max(built_as_of) as built_as_of, max(built_loaded_at) as built_loaded_at, '
        ~ (sla_calendar_changed() if kind == 'sla' else '0') ~ ' as is_other_calendar '
        ~ 'from ' ~ this
    ).rows[0] -%}
    {%- if state[0] == 0 or state[1] != 0 or state[2] != 0 or state[3] != 0 or state[5] is none or state[6] != 0 -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set loaded_since = state[5] - modules.datetime.timedelta(minutes=lookback) -%}
    {{- return({
        'as_of': "cast('" ~ state[4].strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as " ~ dbt.type_timestamp() ~ ")",
        'loaded_since': "cast('" ~ loaded_since.strftime('%Y-%m-%d %H:%M:%S.%f') ~ "' as " ~ dbt.type_timestamp() ~ ")",
    }) -}}
{%- endmacro %}


{% macro scoring_staged_inputs() -%}
    {{- return([
        'base_marketing__events', 'base_crm__leads', 'base_enrichment__lead_enrichment',
        'stg_marketing__events', 'stg_crm__leads', 'stg_enrichment__lead_enrichment',
    ]) -}}
{%- endmacro %}


{% macro touched_leads(increment) -%}
    {%- set events = ref('base_marketing__events') -%}
    select lead_id from {{ events }}
    where event_id in (select event_id from {{ events }} where loaded_at > {{ increment.loaded_since }})
    union
    select lead_id from {{ ref('base_crm__leads') }}
    where loaded_at > {{ increment.loaded_since }}
    union
    select lead_id from {{ ref('base_enrichment__lead_enrichment') }}
    where loaded_at > {{ increment.loaded_since }}
    union
    select lead_id from {{ ref('stg_marketing__events') }}
    where occurred_at > {{ increment.as_of }} and occurred_at <= {{ as_of() }}
    union
    select lead_id from {{ ref('stg_crm__leads') }}
    where created_at > {{ increment.as_of }} and created_at <= {{ as_of() }}
    union
    select lead_id from {{ ref('stg_enrichment__lead_enrichment') }}
    where enriched_at > {{ increment.as_of }} and enriched_at <= {{ as_of() }}
{%- endmacro %}


{#- The filter on an input of an incremental scoring model: its touched leads only. -#}
{% macro scoring_leads_filter(increment, column='lead_id') -%}
    {%- if increment is not none -%}
        where {{ column }} in (select touched_leads.lead_id from touched_leads)
    {%- endif -%}
{%- endmacro %}


{#- The CTE of the touched leads (nothing on a full build). The refs are declared on every
    render, so dbt knows them at parse time. -#}
{% macro touched_leads_cte(increment) -%}
    {#- (a unit test has no `this` and gives only the model's own inputs) -#}
    {%- if this is not none -%}
        {%- for model_name in scoring_staged_inputs() -%}
            {%- do ref(model_name) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if increment is not none -%}
touched_leads as (

    {{ touched_leads(increment) }}

),
    {%- endif -%}
{%- endmacro %}


{% macro delete_all_when_rescored(kind='scoring') -%}
    {%- if execute and is_incremental() and lead_increment(kind) is none -%}
        delete from {{ this }}
    {%- endif -%}
{%- endmacro %}
