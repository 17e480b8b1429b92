-- Why a lead scores what it scores: one row per lead x scoring rule that fired x dimension,
-- as of as_of. `current_points` are the raw points the rule contributes now (behavioural
-- points decayed to as_of); per lead and dimension they add up to the raw points of the
-- running score. `score_contribution` spreads the dimension's score over its rules in
-- proportion to their points (so a capped dimension is shared out), and adds up to the
-- lead's total_score. Attribute rules are those of the lead's current attribute version;
-- form answers only the latest answer to each field.
with

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

scores_as_of as (

    select * from {{ ref('int_lead_scores_running') }}
    where moment_kind = 'as_of'

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

    -- the half-lives pivoted to one row (the four dimensions are the contract's)
    select
        max(case when dimension = 'budget_authority' then half_life_days end) as budget_authority_half_life_days,
        max(case when dimension = 'need' then half_life_days end) as need_half_life_days,
        max(case when dimension = 'timeline' then half_life_days end) as timeline_half_life_days,
        max(case when dimension = 'fit' then half_life_days end) as fit_half_life_days
    from scoring_dimensions

),

event_ages as (

    select
        lead_id,
        event_id,
        event_type,
        scoring_moment_at,
        (
            {{ epoch_seconds(as_of()) }} - {{ epoch_seconds('scoring_moment_at') }}
        ) / 86400.0 as age_days,
        first_value(event_id) over event_type_window as first_source_event_id,
        last_value(event_id) over event_type_window as last_source_event_id
    from events_scored
    window event_type_window as (
        partition by lead_id, event_type
        order by scoring_moment_at, event_id
        rows between unbounded preceding and unbounded following
    )

),

event_type_groups as (

    -- per lead and event type: how often, first and last, and the sum of 2^(-age / H) per
    -- dimension (how many undecayed events the decayed ones are worth today)
    select
        event_ages.lead_id,
        event_ages.event_type,
        count(*) as times_fired,
        min(event_ages.scoring_moment_at) as first_fired_at,
        max(event_ages.scoring_moment_at) as last_fired_at,
        max(event_ages.first_source_event_id) as first_source_event_id,
        max(event_ages.last_source_event_id) as last_source_event_id,
        sum(case
            when dimension_parameters.budget_authority_half_life_days is null then 1.0
            else power(2.0, -event_ages.age_days / dimension_parameters.budget_authority_half_life_days)
        end) as budget_authority_decayed_count,
        sum(case
            when dimension_parameters.need_half_life_days is null then 1.0
            else power(2.0, -event_ages.age_days / dimension_parameters.need_half_life_days)
        end) as need_decayed_count,
        sum(case
            when dimension_parameters.timeline_half_life_days is null then 1.0
            else power(2.0, -event_ages.age_days / dimension_parameters.timeline_half_life_days)
        end) as timeline_decayed_count,
        sum(case
            when dimension_parameters.fit_half_life_days is null then 1.0
            else power(2.0, -event_ages.age_days / dimension_parameters.fit_half_life_days)
        end) as fit_decayed_count
    from event_ages
    cross join dimension_parameters
    group by event_ages.lead_id, event_ages.event_type

),

event_rules as (

    select
        event_type_groups.lead_id,
        'event_points' as rule_kind,
        scoring_event_points.rule_id,
        scoring_event_points.dimension,
        scoring_event_points.points as base_points,
        scoring_event_points.points * case scoring_event_points.dimension
            when 'budget_authority' then event_type_groups.budget_authority_decayed_count
            when 'need' then event_type_groups.need_decayed_count
            when 'timeline' then event_type_groups.timeline_decayed_count
            when 'fit' then event_type_groups.fit_decayed_count
        end as current_points,
        event_type_groups.times_fired,
        event_type_groups.first_fired_at,
        event_type_groups.last_fired_at,
        event_type_groups.first_source_event_id,
        event_type_groups.last_source_event_id,
        event_type_groups.event_type as matched_value
    from event_type_groups
    inner join scoring_event_points
        on event_type_groups.event_type = scoring_event_points.event_type

),

bursts_aged as (

    select
        *,
        ({{ epoch_seconds(as_of()) }} - {{ epoch_seconds('held_at') }}) / 86400.0 as age_days
    from bursts

),

burst_rules as (

    select
        bursts_aged.lead_id,
        'activity_burst' as rule_kind,
        scoring_activity_bursts.rule_id,
        scoring_activity_bursts.dimension,
        scoring_activity_bursts.points as base_points,
        scoring_activity_bursts.points
        * case
            when scoring_dimensions.half_life_days is null then 1.0
            else power(2.0, -(bursts_aged.age_days / scoring_dimensions.half_life_days))
        end as current_points,
        1 as times_fired,
        bursts_aged.held_at as first_fired_at,
        bursts_aged.held_at as last_fired_at,
        bursts_aged.event_id as first_source_event_id,
        bursts_aged.event_id as last_source_event_id,
        cast(scoring_activity_bursts.min_events as {{ dbt.type_string() }}) || '+ events in '
        || cast(cast({{ round_to('scoring_activity_bursts.window_minutes') }} as bigint) as {{ dbt.type_string() }})
        || ' min' as matched_value
    from bursts_aged
    inner join scoring_activity_bursts
        on bursts_aged.rule_id = scoring_activity_bursts.rule_id
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

fired as (

    select * from event_rules
    union all
    select * from burst_rules
    union all
    select * from answer_rules
    union all
    select * from attribute_rules_fired

),

with_scores as (

    select
        fired.*,
        case fired.dimension
            when 'budget_authority' then scores_as_of.budget_authority_raw_points
            when 'need' then scores_as_of.need_raw_points
            when 'timeline' then scores_as_of.timeline_raw_points
            when 'fit' then scores_as_of.fit_raw_points
        end as dimension_raw_points,
        case fired.dimension
            when 'budget_authority' then scores_as_of.budget_authority_score
            when 'need' then scores_as_of.need_score
            when 'timeline' then scores_as_of.timeline_score
            when 'fit' then scores_as_of.fit_score
        end as dimension_score
    from fired
    inner join scores_as_of
        on fired.lead_id = scores_as_of.lead_id

),

final as (

    select
        lead_id,
        rule_kind,
        rule_id,
        dimension,
        base_points,
        current_points,
        case
            when dimension_raw_points = 0 then 0.0
            else current_points * dimension_score / dimension_raw_points
        end as score_contribution,
        times_fired,
        first_fired_at,
        last_fired_at,
        first_source_event_id,
        last_source_event_id,
        case rule_kind
            when 'event_points' then matched_value || ' x' || cast(times_fired as {{ dbt.type_string() }})
            when 'activity_burst' then 'burst of ' || matched_value
            when 'form_answer' then matched_value
            when 'job_title_seniority' then 'title ' || matched_value
            when 'company_size_band' then 'size ' || rule_id || ' (' || matched_value || ')'
            when 'revenue_band' then 'revenue ' || rule_id
            when 'icp_industry' then 'industry ' || matched_value
            when 'icp_technology' then 'uses ' || rule_id
            when 'revenue_growth_band' then 'growth ' || rule_id || ' (' || matched_value || ')'
            when 'country_territory' then 'country ' || rule_id
            else rule_kind || ' ' || rule_id
        end as reason_text,
        {{ as_of() }} as score_as_of_at
    from with_scores

)

select * from final
