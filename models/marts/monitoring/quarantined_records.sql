{{ config(tags=['reads_quarantined_rows']) }}
{#- Every raw row that staging kept out of the logic or whose value it dropped, with its reason
    (contract section 1: bad rows never break the build and are never lost). The inputs are the
    base_ models (tag `quarantine`, one per raw table): each keeps every raw row with
    `quarantine_reason` / `value_issue`. dbt needs the refs written out, so they are listed here
    once, each with the raw table it reads and whether its rows name a lead;
    tests/python/test_project_layers.py fails when a base_ model is missing from the list. -#}
{%- set base_models = [
    {'model': 'base_crm__leads', 'raw_table': 'leads', 'has_lead_id': true},
    {'model': 'base_crm__accounts', 'raw_table': 'accounts', 'has_lead_id': false},
    {'model': 'base_crm__sales_reps', 'raw_table': 'sales_reps', 'has_lead_id': false},
    {'model': 'base_crm__rep_time_off', 'raw_table': 'rep_time_off', 'has_lead_id': false},
    {'model': 'base_crm__holidays', 'raw_table': 'holidays', 'has_lead_id': false},
    {'model': 'base_crm__lead_acknowledgements', 'raw_table': 'lead_acknowledgements', 'has_lead_id': true},
    {'model': 'base_crm__sales_activities', 'raw_table': 'sales_activities', 'has_lead_id': true},
    {'model': 'base_crm__lead_dispositions', 'raw_table': 'lead_dispositions', 'has_lead_id': true},
    {'model': 'base_crm__opportunities', 'raw_table': 'opportunities', 'has_lead_id': true},
    {'model': 'base_marketing__events', 'raw_table': 'marketing_events', 'has_lead_id': true},
    {'model': 'base_marketing__campaigns', 'raw_table': 'campaigns', 'has_lead_id': false},
    {'model': 'base_enrichment__lead_enrichment', 'raw_table': 'lead_enrichment', 'has_lead_id': true},
] -%}

with

{% for base in base_models %}
    {{ base.raw_table }}_issues as (

        select
            '{{ base.raw_table }}' as source_table,
            record_key,
            cast({{ 'lead_id' if base.has_lead_id else 'null' }} as {{ dbt.type_string() }}) as lead_id,
            quarantine_reason,
            value_issue
        from {{ ref(base.model) }}
        where quarantine_reason is not null or value_issue is not null

    ),

{% endfor -%}

unioned as (

    {% for base in base_models -%}
        select * from {{ base.raw_table }}_issues
        {% if not loop.last %}union all
        {% endif -%}
    {%- endfor %}

),

classified as (

    -- an excluded row is listed once, for its exclusion, even when a value was also dropped
    select
        source_table,
        record_key,
        lead_id,
        case when quarantine_reason is not null then 'row_excluded' else 'value_dropped' end as issue_action,
        coalesce(quarantine_reason, value_issue) as issue
    from unioned

),

final as (

    select
        source_table,
        record_key,
        lead_id,
        issue_action,
        {{ dbt.split_part('issue', "':'", 1) }} as issue_reason,
        {{ dbt.split_part('issue', "':'", 2) }} as issue_column
    from classified

)

select * from final
