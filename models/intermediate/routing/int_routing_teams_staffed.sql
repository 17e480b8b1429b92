-- Teams that can take round-robin leads: at least one active rep with a positive
-- routing_weight. A routing rule must name one of them.
with

reps as (

    select * from {{ ref('stg_crm__sales_reps') }}

),

final as (

    select
        team,
        count(*) as round_robin_rep_count,
        sum(routing_weight) as total_routing_weight
    from reps
    where is_active and routing_weight > 0 and team is not null
    group by team

)

select * from final
