-- One row per lead that exists as of as_of: whether an enabled rule of
-- `disqualification_rules` disqualifies it (judged on its attributes as of as_of; the checks
-- are in int_lead_disqualification_matches). The reason shown is the matching enabled rule
-- with the lowest precedence; every matching enabled reason is listed in precedence order.
with

leads as (

    select * from {{ ref('stg_crm__leads') }}

),

matches as (

    select * from {{ ref('int_lead_disqualification_matches') }}

),

disqualification_rules as (

    select * from {{ ref('disqualification_rules') }}

),

leads_in_scope as (

    select lead_id
    from leads
    where created_at <= {{ as_of() }}

),

enabled_matches as (

    select
        matches.lead_id,
        matches.reason,
        matches.detail,
        disqualification_rules.precedence
    from matches
    inner join disqualification_rules
        on matches.reason = disqualification_rules.reason
    where disqualification_rules.is_enabled

),

ranked as (

    select
        *,
        row_number() over (partition by lead_id order by precedence, reason) as reason_rank
    from enabled_matches

),

reasons_listed as (

    select
        lead_id,
        count(*) as disqualification_reason_count,
        {{ dbt.listagg('reason', "', '", 'order by precedence, reason') }} as disqualification_reasons
    from ranked
    group by lead_id

),

final as (

    select
        leads_in_scope.lead_id,
        ranked.reason as disqualification_reason,
        ranked.detail as disqualification_detail,
        reasons_listed.disqualification_reasons,
        ranked.reason is not null as is_disqualified,
        coalesce(reasons_listed.disqualification_reason_count, 0) as disqualification_reason_count
    from leads_in_scope
    left join ranked
        on
            leads_in_scope.lead_id = ranked.lead_id
            and ranked.reason_rank = 1
    left join reasons_listed
        on leads_in_scope.lead_id = reasons_listed.lead_id

)

select * from final
