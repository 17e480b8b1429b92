-- score_calibration reads one policy: the seed score_calibration_policy must hold exactly one
-- row (none = no calibration at all, two = every quarter judged twice).
with

policies as (

    select * from {{ ref('score_calibration_policy') }}

),

counted as (

    select count(*) as policy_rows
    from policies

),

final as (

    select
        policy_rows,
        'score_calibration_policy has ' || cast(policy_rows as {{ dbt.type_string() }})
        || ' rows, expected exactly 1' as failure
    from counted
    where policy_rows <> 1

)

select * from final
