-- Score calibration (contract sections 2 and 4): one row per quarter (UTC) of handoff with at
-- least one handed-off lead. High-score leads = leads whose running score reached the policy's
-- high_score_threshold (seed score_calibration_policy, default 80) at any moment up to as_of;
-- their conversion to an opportunity (created at or after handoff, by as_of) is judged against
-- the band: below min_conversion_rate `too_loose`, above max_conversion_rate `too_restrictive`,
-- else `calibrated` (bounds included). suggested_score_threshold is the whole-number threshold
-- nearest the current one whose leads would have converted inside the band, among thresholds
-- reached by at least min_leads_for_suggestion leads (ties: the higher one).
with

outcomes as (

    select * from {{ ref('int_lead_outcomes_joined') }}

),

calibration_policy as (

    select * from {{ ref('score_calibration_policy') }}

),

threshold_numbers as (

    {{ dbt.generate_series(101) }}

),

quarterly as (

    select
        cast({{ dbt.date_trunc('quarter', 'handoff_at') }} as date) as quarter_start_date,
        peak_total_score,
        is_converted
    from outcomes

),

quarter_summary as (

    select
        quarterly.quarter_start_date,
        calibration_policy.high_score_threshold,
        calibration_policy.min_conversion_rate,
        calibration_policy.max_conversion_rate,
        calibration_policy.min_leads_for_suggestion,
        count(*) as handed_off_leads,
        sum(case when quarterly.peak_total_score >= calibration_policy.high_score_threshold then 1 else 0 end)
            as high_score_leads,
        sum(
            case
                when quarterly.peak_total_score >= calibration_policy.high_score_threshold and quarterly.is_converted
                    then 1
                else 0
            end
        ) as high_score_converted_leads
    from quarterly
    cross join calibration_policy
    group by
        quarterly.quarter_start_date,
        calibration_policy.high_score_threshold,
        calibration_policy.min_conversion_rate,
        calibration_policy.max_conversion_rate,
        calibration_policy.min_leads_for_suggestion

),

score_floors as (

    -- a lead reaches a whole-number threshold t exactly when floor(peak score) >= t
    select
        quarter_start_date,
        floor(peak_total_score) as score_floor,
        count(*) as leads,
        sum(case when is_converted then 1 else 0 end) as converted_leads
    from quarterly
    where peak_total_score is not null
    group by quarter_start_date, floor(peak_total_score)

),

candidates as (

    select
        quarter_summary.quarter_start_date,
        threshold_numbers.generated_number - 1 as candidate_threshold,
        sum(score_floors.leads) as candidate_leads,
        sum(score_floors.converted_leads) as candidate_converted_leads
    from quarter_summary
    cross join threshold_numbers
    inner join score_floors
        on
            quarter_summary.quarter_start_date = score_floors.quarter_start_date
            and score_floors.score_floor >= threshold_numbers.generated_number - 1
    group by quarter_summary.quarter_start_date, threshold_numbers.generated_number - 1

),

in_band as (

    select
        candidates.quarter_start_date,
        candidates.candidate_threshold,
        candidates.candidate_leads,
        cast(candidates.candidate_converted_leads as {{ type_double() }}) / candidates.candidate_leads
            as candidate_conversion_rate,
        row_number() over (
            partition by candidates.quarter_start_date
            order by
                abs(candidates.candidate_threshold - quarter_summary.high_score_threshold),
                candidates.candidate_threshold desc
        ) as nearness_rank
    from candidates
    inner join quarter_summary
        on candidates.quarter_start_date = quarter_summary.quarter_start_date
    where
        candidates.candidate_leads >= quarter_summary.min_leads_for_suggestion
        and cast(candidates.candidate_converted_leads as {{ type_double() }}) / candidates.candidate_leads
        >= quarter_summary.min_conversion_rate
        and cast(candidates.candidate_converted_leads as {{ type_double() }}) / candidates.candidate_leads
        <= quarter_summary.max_conversion_rate

),

suggestions as (

    select * from in_band
    where nearness_rank = 1

),

rated as (

    select
        quarter_summary.*,
        case
            when quarter_summary.high_score_leads > 0
                then cast(quarter_summary.high_score_converted_leads as {{ type_double() }})
                    / quarter_summary.high_score_leads
        end as high_score_conversion_rate
    from quarter_summary

),

final as (

    select
        rated.quarter_start_date,
        cast(rated.high_score_leads as integer) as high_score_leads,
        cast(rated.high_score_conversion_rate as {{ type_double() }}) as high_score_conversion_rate,
        case
            when rated.high_score_conversion_rate < rated.min_conversion_rate then 'too_loose'
            when rated.high_score_conversion_rate > rated.max_conversion_rate then 'too_restrictive'
            when rated.high_score_conversion_rate is not null then 'calibrated'
        end as verdict,
        cast(rated.high_score_threshold as {{ type_double() }}) as high_score_threshold,
        cast(rated.high_score_converted_leads as integer) as high_score_converted_leads,
        cast(rated.handed_off_leads as integer) as handed_off_leads,
        cast(rated.min_conversion_rate as {{ type_double() }}) as min_conversion_rate,
        cast(rated.max_conversion_rate as {{ type_double() }}) as max_conversion_rate,
        cast(suggestions.candidate_threshold as integer) as suggested_score_threshold,
        cast(suggestions.candidate_leads as integer) as suggested_threshold_leads,
        cast(suggestions.candidate_conversion_rate as {{ type_double() }}) as suggested_threshold_conversion_rate,
        cast({{ dbt.dateadd('month', 3, 'rated.quarter_start_date') }} as {{ dbt.type_timestamp() }}) <= {{ as_of() }}
            as is_complete_quarter,
        {{ as_of() }} as calibration_as_of_at
    from rated
    left join suggestions
        on rated.quarter_start_date = suggestions.quarter_start_date

)

select * from final
