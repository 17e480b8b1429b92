-- One row per lead x attribute version: the attribute points (title, size, revenue, ICP) the
-- version earns in each dimension, and the change against the previous version, so the
-- running score can carry the version in effect forward as a plain cumulative sum.
-- Incremental per lead (macros/handoff/lead_increment.sql), like the versions it reads.
{{ lead_incremental_config() }}
{%- set increment = lead_increment() %}

with

{{ touched_leads_cte(increment) }}

versions as (

    select * from {{ ref('int_lead_attributes_versioned') }}
    {{ scoring_leads_filter(increment) }}

),

rules_matched as (

    select * from {{ ref('int_lead_attribute_rules_matched') }}
    {{ scoring_leads_filter(increment) }}

),

points_per_version as (

    select
        lead_id,
        version_number,
        sum(case when dimension = 'budget_authority' then points else 0 end) as budget_authority_points,
        sum(case when dimension = 'need' then points else 0 end) as need_points,
        sum(case when dimension = 'timeline' then points else 0 end) as timeline_points,
        sum(case when dimension = 'fit' then points else 0 end) as fit_points
    from rules_matched
    group by lead_id, version_number

),

scored as (

    select
        versions.lead_id,
        versions.version_number,
        versions.valid_from_at,
        versions.lead_created_at,
        versions.is_current_version,
        coalesce(points_per_version.budget_authority_points, 0) as budget_authority_points,
        coalesce(points_per_version.need_points, 0) as need_points,
        coalesce(points_per_version.timeline_points, 0) as timeline_points,
        coalesce(points_per_version.fit_points, 0) as fit_points
    from versions
    left join points_per_version
        on
            versions.lead_id = points_per_version.lead_id
            and versions.version_number = points_per_version.version_number

),

final as (

    select
        *,
        budget_authority_points - coalesce(lag(budget_authority_points) over (
            partition by lead_id order by version_number
        ), 0) as budget_authority_points_change,
        need_points - coalesce(lag(need_points) over (
            partition by lead_id order by version_number
        ), 0) as need_points_change,
        timeline_points - coalesce(lag(timeline_points) over (
            partition by lead_id order by version_number
        ), 0) as timeline_points_change,
        fit_points - coalesce(lag(fit_points) over (
            partition by lead_id order by version_number
        ), 0) as fit_points_change,
        {{ lead_build_columns() }}
    from scored

)

select * from final
