-- The qualification rules are complete: the four score dimensions, the MQL threshold, one
-- priority tier per rule kind and at least one explicit-intent event type exist. (Each seed's
-- own tests check its rows; this checks that no required row is missing.)
with

dimensions as (

    select * from {{ ref('scoring_dimensions') }}

),

thresholds as (

    select * from {{ ref('lifecycle_thresholds') }}

),

tiers as (

    select * from {{ ref('priority_tiers') }}

),

event_types as (

    select * from {{ ref('event_types') }}

),

required as (

    select
        'scoring_dimensions' as seed_name,
        'budget_authority' as required_value
    union all
    select
        'scoring_dimensions' as seed_name,
        'need' as required_value
    union all
    select
        'scoring_dimensions' as seed_name,
        'timeline' as required_value
    union all
    select
        'scoring_dimensions' as seed_name,
        'fit' as required_value
    union all
    select
        'lifecycle_thresholds' as seed_name,
        'mql' as required_value
    union all
    select
        'priority_tiers' as seed_name,
        'explicit_intent' as required_value
    union all
    select
        'priority_tiers' as seed_name,
        'high_value_engagement' as required_value
    union all
    select
        'priority_tiers' as seed_name,
        'score_threshold' as required_value
    union all
    select
        'event_types' as seed_name,
        'is_explicit_intent' as required_value

),

present as (

    select
        'scoring_dimensions' as seed_name,
        dimension as present_value
    from dimensions
    union all
    select
        'lifecycle_thresholds' as seed_name,
        stage as present_value
    from thresholds
    union all
    select
        'priority_tiers' as seed_name,
        rule_kind as present_value
    from tiers
    union all
    select distinct
        'event_types' as seed_name,
        'is_explicit_intent' as present_value
    from event_types
    where is_explicit_intent

)

select
    required.seed_name,
    required.seed_name || ': no row for ' || required.required_value as failing_row
from required
left join present
    on
        required.seed_name = present.seed_name
        and required.required_value = present.present_value
where present.seed_name is null
