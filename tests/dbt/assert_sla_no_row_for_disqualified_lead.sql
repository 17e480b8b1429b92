-- Disqualified leads get no SLA; neither do leads without a handoff at or before as_of.
select
    lead_sla.lead_id,
    leads.is_disqualified,
    leads.handoff_at,
    lead_sla.sla_as_of_at
from {{ ref('lead_sla') }} as lead_sla
left join {{ ref('leads') }} as leads
    on lead_sla.lead_id = leads.lead_id
where
    leads.lead_id is null
    or leads.is_disqualified
    or leads.handoff_at is null
    or leads.handoff_at > lead_sla.sla_as_of_at
