-- Every scoring rule that fired for a lead, as of as_of: one row per lead x rule x dimension,
-- with the raw points it contributes now. Event points aggregate per event type and decay to
-- as_of with the dimension's half-life (seed scoring_dimensions); a burst counts once, decayed
-- from the moment it fired; only the latest answer to each form field counts; attribute rules
-- are those of the lead's current attribute version. Per lead and dimension the current
-- points add up to the raw points of the score at as_of (int_lead_scores_current).
with

event_types_grouped as (

    select * from {{ ref('int_lead_event_types_grouped') }}

),

events_scored as (

    select * from {{ ref('int_lead_events_scored') }}

),

bursts as (

    select * from {{ ref('int_lead_event_bursts_detected') }}
    where rule_kind = 'activity_burst'

),

attribute_rules as (

    select * from {{ ref('int_lead_attribute_rules_matched') }}
    where is_current_version

),

scoring_event_points as (

    select * from {{ ref('scoring_event_points') }}

),

scoring_form_answer_points as (

    select * from {{ ref('scoring_form_answer_points') }}

),

scoring_activity_bursts as (

    select * from {{ ref('scoring_activity_bursts') }}

),

scoring_dimensions as (

    select * from {{ ref('scoring_dimensions') }}

),

dimension_parameters as (

    {{ dimension_parameters_row() }}

),

event_type_groups as (

    -- per dimension, the grown count divided by 2^(a / H), a = the lead's age at as_of: the
    -- sum of 2^(-age / H) over the events (how many undecayed events they are worth today)
    select
        event_types_grouped.*,
        {{ dimension_columns(
            'event_types_grouped.{d}_grown_count * ' ~ decay_factor(
                '(' ~ epoch_seconds(as_of()) ~ ' - ' ~ epoch_seconds('event_types_grouped.lead_created_at') ~ ') / 86400.0',
                'dimension_parameters.{d}_half_life_days'
            ) ~ ' as {d}_decayed_count'
        ) }}
    from event_types_grouped
    cross join dimension_parameters

),

event_rules as (

    select
        event_type_groups.lead_id,
        'event_points' as rule_kind,
        scoring_event_points.rule_id,
        scoring_event_points.dimension,
        scoring_event_points.points as base_points,
        -- the rule's dimension's decayed count (the other terms are 0)
        scoring_event_points.points * ({{ dimension_sum(
            "case when scoring_event_points.dimension = '{d}' then event_type_groups.{d}_decayed_count else 0 end"
        ) }}) as current_points,
        event_type_groups.times_fired,
        event_type_groups.first_fired_at,
        event_type_groups.last_fired_at,
        event_type_groups.first_source_event_id,
        event_type_groups.last_source_event_id,
        event_type_groups.event_type as matched_value
    from event_type_groups
    inner join scoring_event_points
        on event_type_groups.event_type = scoring_event_points.event_type
    -- a dimension missing from scoring_dimensions scores nothing
    inner join scoring_dimensions
        on scoring_event_points.dimension = scoring_dimensions.dimension

),

burst_rules as (

    select
        bursts.lead_id,
        'activity_burst' as rule_kind,
        scoring_activity_bursts.rule_id,
        scoring_activity_bursts.dimension,
        scoring_activity_bursts.points as base_points,
        scoring_activity_bursts.points * {{ decay_factor(
            '(' ~ epoch_seconds(as_of()) ~ ' - ' ~ epoch_seconds('bursts.held_at') ~ ') / 86400.0',
            'scoring_dimensions.half_life_days'
        ) }} as current_points,
        1 as times_fired,
        bursts.held_at as first_fired_at,
        bursts.held_at as last_fired_at,
        bursts.event_id as first_source_event_id,
        bursts.event_id as last_source_event_id,
        cast(scoring_activity_bursts.min_events as {{ dbt.type_string() }}) || '+ events in '
        || cast(cast({{ round_to('scoring_activity_bursts.window_minutes') }} as bigint) as {{ dbt.type_string() }})
        || ' min' as matched_value
    from bursts
    inner join scoring_activity_bursts
        on bursts.rule_id = scoring_activity_bursts.rule_id
    inner join scoring_dimensions
        on scoring_activity_bursts.dimension = scoring_dimensions.dimension

),

answers as (

    select
        lead_id,
        event_id,
        scoring_moment_at,
        'form_timeline' as form_field,
        form_timeline as answer
    from events_scored
    where form_timeline is not null
    union all
    select
        lead_id,
        event_id,
        scoring_moment_at,
        'form_budget_status' as form_field,
        form_budget_status as answer
    from events_scored
    where form_budget_status is not null

),

latest_answers as (

    -- only the latest answer to a field counts (the same order the running score uses)
    select
        *,
        row_number() over (
            partition by lead_id, form_field
            order by scoring_moment_at desc, event_id desc
        ) as answer_rank
    from answers

),

answer_rules as (

    select
        latest_answers.lead_id,
        'form_answer' as rule_kind,
        scoring_form_answer_points.rule_id,
        scoring_form_answer_points.dimension,
        scoring_form_answer_points.points as base_points,
        scoring_form_answer_points.points as current_points,
        1 as times_fired,
        latest_answers.scoring_moment_at as first_fired_at,
        latest_answers.scoring_moment_at as last_fired_at,
        latest_answers.event_id as first_source_event_id,
        latest_answers.event_id as last_source_event_id,
        latest_answers.form_field || ' = ' || latest_answers.answer as matched_value
    from latest_answers
    inner join scoring_form_answer_points
        on
            latest_answers.form_field = scoring_form_answer_points.form_field
            and latest_answers.answer = scoring_form_answer_points.answer
    where latest_answers.answer_rank = 1

),

attribute_rules_fired as (

    select
        lead_id,
        rule_kind,
        rule_id,
        dimension,
        points as base_points,
        points as current_points,
        1 as times_fired,
        valid_from_at as first_fired_at,
        valid_from_at as last_fired_at,
        cast(null as {{ dbt.type_string() }}) as first_source_event_id,
        cast(null as {{ dbt.type_string() }}) as last_source_event_id,
        matched_value
    from attribute_rules

),

final as (

    select * from event_rules
    union all
    select * from burst_rules
    union all
    select * from answer_rules
    union all
    select * from attribute_rules_fired

)

select * from final
