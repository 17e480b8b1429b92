-- Every priority tier has a first-touch SLA policy: a tier without one would leave its leads
-- without a deadline (pending forever). Fails with the tiers that have none.
with

priority_tiers as (

    select * from {{ ref('priority_tiers') }}

),

sla_policies as (

    select * from {{ ref('sla_policies') }}

)

select
    priority_tiers.priority_tier,
    priority_tiers.tier_name
from priority_tiers
left join sla_policies
    on priority_tiers.priority_tier = sla_policies.priority_tier
where sla_policies.priority_tier is null
