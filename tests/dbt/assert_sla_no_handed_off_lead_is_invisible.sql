-- No handed-off lead is invisible (contract section 2): every lead of int_leads_handed_off has
-- a lead_sla row with a deadline, owned or not (a lead nobody owns is due on the default
-- calendar, as team `unassigned`). Only a handoff beyond the working calendar's horizon could
-- lack one, and the horizon always covers as_of plus its padding.
with

handed_off as (

    select * from {{ ref('int_leads_handed_off') }}

),

lead_sla as (

    select * from {{ ref('lead_sla') }}

),

final as (

    select
        handed_off.lead_id,
        handed_off.handoff_at,
        case
            when lead_sla.lead_id is null then 'no lead_sla row'
            else 'no sla_due_at'
        end as problem
    from handed_off
    left join lead_sla
        on handed_off.lead_id = lead_sla.lead_id
    where lead_sla.lead_id is null or lead_sla.sla_due_at is null or lead_sla.team is null

)

select * from final
