-- One row per lead that exists as of as_of: its score at as_of. The scoring moments keep the
-- two terms each adds; per lead and dimension
--   raw points = sum(steady changes) + sum(p * 2^(t / H)) / 2^(a / H),
-- a = the lead's age in days at as_of: the window sum of the last moment, decayed to as_of,
-- in one pass over the moments (a table: the cheap per-run step after the incremental ones).
with

moments as (

    select * from {{ ref('int_lead_score_moments') }}

),

scoring_dimensions as (

    select * from {{ ref('scoring_dimensions') }}

),

lifecycle_thresholds as (

    select * from {{ ref('lifecycle_thresholds') }}

),

mql_threshold as (

    {{ mql_threshold_row() }}

),

dimension_parameters as (

    {{ dimension_parameters_row() }}

),

lead_totals as (

    select
        lead_id,
        max(lead_created_at) as lead_created_at,
        max(attribute_version_number) as attribute_version_number,
        {{ dimension_columns('sum({d}_steady_change) as {d}_steady_points') }},
        {{ dimension_columns('sum({d}_grown_points) as {d}_grown_points') }}
    from moments
    group by lead_id

),

decayed as (

    select
        lead_totals.lead_id,
        lead_totals.attribute_version_number,
        dimension_parameters.*,
        {{ dimension_columns(
            'lead_totals.{d}_steady_points + lead_totals.{d}_grown_points / '
            ~ growth_factor(
                '(' ~ epoch_seconds(as_of()) ~ ' - ' ~ epoch_seconds('lead_totals.lead_created_at') ~ ') / 86400.0',
                'dimension_parameters.{d}_half_life_days'
            )
            ~ ' as {d}_raw_points'
        ) }}
    from lead_totals
    cross join dimension_parameters

),

scored as (

    select
        *,
        {{ dimension_score_columns() }}
    from decayed

),

engaged as (

    select
        *,
        {{ total_score_columns() }}
    from scored

),

final as (

    select
        engaged.lead_id,
        {{ as_of() }} as moment_at,
        engaged.attribute_version_number,
        {{ dimension_columns('engaged.{d}_raw_points') }},
        {{ dimension_columns('engaged.{d}_score') }},
        engaged.engagement_score,
        {{ mql_rule_columns('engaged', 'mql_threshold') }}
    from engaged
    cross join mql_threshold

)

select * from final
