{{ config(tags=['reads_quarantined_rows']) }}
{#- The reciprocal marketing SLA, one row per week (Monday, UTC) from the first week with lead
    data to the week of as_of: lead volume against target, data quality (the share of raw lead
    rows with the required marketing fields valid: email well formed, company_domain, country_code
    and job_title present, the row not quarantined; quarantined rows stay in the denominator so
    bad data shows) and enrichment completeness (the share of leads handed off that week that
    had a clean enrichment row at or before their handoff). Targets: seed marketing_sla_targets,
    the latest row effective on the week's Monday. A week is complete when it lies wholly inside
    the data: it starts on or after the first day with lead data and ended by as_of (so a data
    set that starts mid-week does not judge its first, partial week). -#}
{%- set week_limit = (calendar_spine_day_limit() | int) // 7 + 1 -%}
with

lead_rows as (

    -- every raw lead row, quarantined ones included
    select * from {{ ref('base_crm__leads') }}

),

handed_off_leads as (

    select * from {{ ref('int_leads_handed_off') }}

),

enrichments as (

    select * from {{ ref('stg_enrichment__lead_enrichment') }}

),

marketing_sla_targets as (

    select * from {{ ref('marketing_sla_targets') }}

),

placed_rows as (

    -- a row counts in the week it was created; a quarantined row without a usable created_at
    -- falls back to updated_at; a row with neither cannot be placed in a week
    select
        cast({{ dbt.date_trunc('week', 'coalesce(created_at, updated_at)') }} as date) as week_start_date,
        quarantine_reason is null as is_clean,
        quarantine_reason is null
        and email is not null
        and {{ regex_matches('email', "'" ~ var('valid_email_pattern') ~ "'") }}
        and company_domain is not null
        and country_code is not null
        and job_title is not null as has_required_fields_valid
    from lead_rows
    where coalesce(created_at, updated_at) <= {{ as_of() }}

),

lead_row_weeks as (

    select
        week_start_date,
        sum(case when is_clean then 1 else 0 end) as created_lead_count,
        count(*) as lead_row_count,
        sum(case when has_required_fields_valid then 1 else 0 end) as valid_lead_row_count
    from placed_rows
    group by week_start_date

),

enriched_leads as (

    select distinct handed_off_leads.lead_id
    from handed_off_leads
    inner join enrichments
        on
            handed_off_leads.lead_id = enrichments.lead_id
            and handed_off_leads.handoff_at >= enrichments.enriched_at

),

handoff_weeks as (

    select
        cast({{ dbt.date_trunc('week', 'handed_off_leads.handoff_at') }} as date) as week_start_date,
        count(*) as handed_off_lead_count,
        count(enriched_leads.lead_id) as enriched_before_handoff_count
    from handed_off_leads
    left join enriched_leads
        on handed_off_leads.lead_id = enriched_leads.lead_id
    group by cast({{ dbt.date_trunc('week', 'handed_off_leads.handoff_at') }} as date)

),

data_start as (

    -- the first day with lead data: a week that starts before it is not wholly inside the data
    select cast(min(coalesce(created_at, updated_at)) as date) as first_data_date
    from lead_rows
    where coalesce(created_at, updated_at) <= {{ as_of() }}

),

first_week as (

    select min(week_start_date) as first_week_start_date
    from (
        select week_start_date from lead_row_weeks
        union all
        select week_start_date from handoff_weeks
    ) as data_weeks

),

week_numbers as (

    {{ dbt.generate_series(week_limit) }}

),

weeks as (

    select
        cast(
            {{ dbt.dateadd('day', '7 * (week_numbers.generated_number - 1)', 'first_week.first_week_start_date') }}
            as date
        ) as week_start_date
    from first_week
    cross join week_numbers
    where
        {{ dbt.dateadd('day', '7 * (week_numbers.generated_number - 1)', 'first_week.first_week_start_date') }}
        <= {{ as_of() }}

),

ranked_targets as (

    select
        weeks.week_start_date,
        marketing_sla_targets.weekly_lead_target,
        marketing_sla_targets.min_data_quality_rate,
        marketing_sla_targets.min_enrichment_rate,
        row_number() over (
            partition by weeks.week_start_date
            order by marketing_sla_targets.effective_from_date desc
        ) as target_rank
    from weeks
    inner join marketing_sla_targets
        on weeks.week_start_date >= marketing_sla_targets.effective_from_date

),

week_targets as (

    select * from ranked_targets
    where target_rank = 1

),

measured as (

    select
        weeks.week_start_date,
        weeks.week_start_date >= data_start.first_data_date
        and cast({{ dbt.dateadd('day', 7, 'weeks.week_start_date') }} as {{ dbt.type_timestamp() }})
        <= {{ as_of() }} as is_complete_week,
        coalesce(lead_row_weeks.created_lead_count, 0) as created_lead_count,
        week_targets.weekly_lead_target,
        coalesce(lead_row_weeks.lead_row_count, 0) as lead_row_count,
        coalesce(lead_row_weeks.valid_lead_row_count, 0) as valid_lead_row_count,
        cast(lead_row_weeks.valid_lead_row_count as {{ type_double() }})
        / nullif(lead_row_weeks.lead_row_count, 0) as data_quality_rate,
        week_targets.min_data_quality_rate,
        coalesce(handoff_weeks.handed_off_lead_count, 0) as handed_off_lead_count,
        coalesce(handoff_weeks.enriched_before_handoff_count, 0) as enriched_before_handoff_count,
        cast(handoff_weeks.enriched_before_handoff_count as {{ type_double() }})
        / nullif(handoff_weeks.handed_off_lead_count, 0) as enrichment_rate,
        week_targets.min_enrichment_rate
    from weeks
    cross join data_start
    left join lead_row_weeks
        on weeks.week_start_date = lead_row_weeks.week_start_date
    left join handoff_weeks
        on weeks.week_start_date = handoff_weeks.week_start_date
    left join week_targets
        on weeks.week_start_date = week_targets.week_start_date

),

final as (

    select
        week_start_date,
        is_complete_week,
        cast(created_lead_count as integer) as created_lead_count,
        cast(weekly_lead_target as integer) as weekly_lead_target,
        cast(created_lead_count as {{ type_double() }}) / nullif(weekly_lead_target, 0) as lead_volume_attainment,
        case
            when weekly_lead_target is null then 'no_target'
            when created_lead_count >= weekly_lead_target then 'met_target'
            when not is_complete_week then 'in_progress'
            else 'below_target'
        end as lead_volume_status,
        cast(lead_row_count as integer) as lead_row_count,
        cast(valid_lead_row_count as integer) as valid_lead_row_count,
        cast(data_quality_rate as {{ type_double() }}) as data_quality_rate,
        cast(min_data_quality_rate as {{ type_double() }}) as min_data_quality_rate,
        case
            when min_data_quality_rate is null then 'no_target'
            when data_quality_rate is null then 'no_data'
            when data_quality_rate >= min_data_quality_rate then 'met_target'
            else 'below_target'
        end as data_quality_status,
        cast(handed_off_lead_count as integer) as handed_off_lead_count,
        cast(enriched_before_handoff_count as integer) as enriched_before_handoff_count,
        cast(enrichment_rate as {{ type_double() }}) as enrichment_rate,
        cast(min_enrichment_rate as {{ type_double() }}) as min_enrichment_rate,
        case
            when min_enrichment_rate is null then 'no_target'
            when enrichment_rate is null then 'no_data'
            when enrichment_rate >= min_enrichment_rate then 'met_target'
            else 'below_target'
        end as enrichment_status,
        {{ as_of() }} as marketing_sla_as_of_at
    from measured

)

select * from final
