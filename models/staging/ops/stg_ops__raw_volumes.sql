-- Row count and latest `_loaded_at` of every raw contract table, as the build sees them: what
-- raw_volume_history records each build. The one staging model that reads every raw source
-- (counting them is its unit of work); quarantined_records lists the same twelve tables.
{%- set raw_sources = [
    ('crm', 'leads'),
    ('crm', 'accounts'),
    ('crm', 'sales_reps'),
    ('crm', 'rep_time_off'),
    ('crm', 'holidays'),
    ('crm', 'lead_acknowledgements'),
    ('crm', 'sales_activities'),
    ('crm', 'lead_dispositions'),
    ('crm', 'opportunities'),
    ('enrichment', 'lead_enrichment'),
    ('marketing', 'marketing_events'),
    ('marketing', 'campaigns'),
] %}

with

final as (

    {% for source_name, table_name in raw_sources -%}
        select
            '{{ table_name }}' as table_name,
            count(*) as row_count,
            max(_loaded_at) as last_loaded_at
        from {{ source(source_name, table_name) }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

)

select * from final
