-- Monitoring: one row per disqualification rule with how many leads (existing as of as_of)
-- it disqualifies (as their reason of lowest precedence) and how many it matches at all. A
-- disabled rule shows how many leads it would match if it were turned on.
with

disqualification_rules as (

    select * from {{ ref('disqualification_rules') }}

),

matches as (

    select * from {{ ref('int_lead_disqualification_matches') }}

),

disqualified as (

    select * from {{ ref('int_leads_disqualified') }}
    where is_disqualified

),

match_counts as (

    select
        reason,
        count(*) as leads_matched
    from matches
    group by reason

),

primary_counts as (

    select
        disqualification_reason as reason,
        count(*) as leads_disqualified
    from disqualified
    group by disqualification_reason

),

final as (

    select
        disqualification_rules.reason,
        disqualification_rules.precedence,
        disqualification_rules.is_enabled,
        coalesce(primary_counts.leads_disqualified, 0) as leads_disqualified,
        coalesce(match_counts.leads_matched, 0) as leads_matched,
        {{ as_of() }} as counted_as_of_at
    from disqualification_rules
    left join primary_counts
        on disqualification_rules.reason = primary_counts.reason
    left join match_counts
        on disqualification_rules.reason = match_counts.reason

)

select * from final
