{{
    config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        schema='ledger',
        full_refresh=false
    )
}}
-- Long because an append-only ledger must read its own earlier rows ({{ this }}: pass values,
-- open leads) in the same statement that decides the new ones; the steps are named CTEs.
-- Each step carries forward the columns later steps need rather than joining an earlier step
-- back in: Spark inlines every reference to a CTE, so a step read twice doubles the plan of
-- everything after it (docs/engines.md).
-- The initial assignment of every handed-off lead: an append-only ledger.
-- Each run routes the handed-off leads that have no assignment yet; rows already
-- written are never touched. Eligibility is judged at the lead's handoff_at, so a
-- rebuild over the same inputs reproduces the ledger. Fairness carries across runs
-- through each rep's pass value (stride scheduling): the rep with the lowest pass
-- gets the next lead and advances by 1 / routing_weight. A lead no matching team can take
-- (inactive, on time off, at capacity) overflows to its catch-all team's active rep with the
-- fewest open leads (contract section 2); only with no active rep at all does it wait.
with

leads as (

    select * from {{ ref('int_leads_handed_off') }}

),

matched_rules as (

    select * from {{ ref('int_lead_routing_rules_matched') }}

),

reps as (

    select * from {{ ref('stg_crm__sales_reps') }}

),

dispositions as (

    select * from {{ ref('stg_crm__lead_dispositions') }}
    where disposed_at <= {{ as_of() }}

),

disposition_statuses as (

    select * from {{ ref('disposition_statuses') }}

),

prior_assignments as (

    {% if is_incremental() -%}
    select
        lead_id,
        rep_id,
        team,
        assigned_at,
        assignment_type,
        rep_pass_value
    from {{ this }}
    {%- else -%}
        select
            cast(null as {{ dbt.type_string() }}) as lead_id,
            cast(null as {{ dbt.type_string() }}) as rep_id,
            cast(null as {{ dbt.type_string() }}) as team,
            cast(null as {{ dbt.type_timestamp() }}) as assigned_at,
            cast(null as {{ dbt.type_string() }}) as assignment_type,
            cast(null as {{ type_double() }}) as rep_pass_value
        from disposition_statuses
        where false
    {%- endif %}

),

lead_closures as (

    -- when a lead stops counting against its rep's capacity
    select
        dispositions.lead_id,
        min(dispositions.disposed_at) as closed_at
    from dispositions
    inner join disposition_statuses
        on dispositions.status = disposition_statuses.status
    where disposition_statuses.is_closed
    group by dispositions.lead_id

),

new_leads as (

    select leads.*
    from leads
    left join prior_assignments
        on leads.lead_id = prior_assignments.lead_id
    where prior_assignments.lead_id is null

),

owner_routes as (

    -- a lead of a known account goes to its owner when the owner can take it
    select
        new_leads.lead_id,
        new_leads.handoff_at,
        new_leads.matched_account_id,
        new_leads.company_domain,
        new_leads.matched_account_owner_rep_id as owner_rep_id,
        reps.team as owner_team,
        coalesce(
            reps.rep_id is not null and reps.is_active and owner_time_off.rep_id is null, false
        ) as is_owner_available,
        case
            when reps.rep_id is null then 'is not a known rep'
            when not reps.is_active then 'is inactive'
            when owner_time_off.rep_id is not null then 'is on time off'
        end as owner_unavailable_because
    from new_leads
    left join reps
        on new_leads.matched_account_owner_rep_id = reps.rep_id
    {{ join_rep_time_off('owner_time_off', 'new_leads.matched_account_owner_rep_id', 'new_leads.handoff_at') }}
    where new_leads.matched_account_owner_rep_id is not null

),

round_robin_leads as (

    select
        new_leads.lead_id,
        new_leads.handoff_at,
        owner_routes.owner_rep_id,
        owner_routes.owner_unavailable_because
    from new_leads
    left join owner_routes
        on new_leads.lead_id = owner_routes.lead_id
    where not coalesce(owner_routes.is_owner_available, false)

),

rule_team_reps as (

    -- every rep who could take the lead under each matching rule, and when the lead would
    -- stop counting against that rep's capacity
    select
        round_robin_leads.lead_id,
        round_robin_leads.handoff_at,
        {{ open_lead_released_at('round_robin_leads.handoff_at', 'lead_closures.closed_at') }} as released_at,
        matched_rules.rule_order,
        reps.rep_id,
        reps.routing_weight,
        reps.max_open_leads
    from round_robin_leads
    inner join matched_rules
        on round_robin_leads.lead_id = matched_rules.lead_id
    inner join reps
        on
            matched_rules.team = reps.team
            and reps.is_active
            and reps.routing_weight > 0
    left join lead_closures
        on round_robin_leads.lead_id = lead_closures.lead_id

),

prior_workload_changes as (

    -- +1 when a lead is assigned, -1 when it closes or goes stale (never before it was assigned)
    select
        rep_id,
        assigned_at as changed_at,
        1 as open_lead_change
    from prior_assignments
    union all
    select
        prior_assignments.rep_id,
        {{ open_lead_released_at('prior_assignments.assigned_at', 'lead_closures.closed_at') }} as changed_at,
        -1 as open_lead_change
    from prior_assignments
    left join lead_closures
        on prior_assignments.lead_id = lead_closures.lead_id

),

workload_timeline as (

    -- the ledger's changes, and a probe (change 0) for every rep a lead could go to, at the
    -- lead's handoff; probes carry the lead
    select
        rep_id,
        changed_at,
        open_lead_change,
        false as is_probe,
        cast(null as {{ dbt.type_string() }}) as lead_id,
        cast(null as {{ dbt.type_timestamp() }}) as handoff_at,
        cast(null as {{ dbt.type_timestamp() }}) as released_at,
        cast(null as {{ dbt.type_int() }}) as rule_order,
        cast(null as {{ type_double() }}) as routing_weight,
        cast(null as {{ dbt.type_int() }}) as max_open_leads
    from prior_workload_changes
    union all
    select
        rep_id,
        handoff_at as changed_at,
        0 as open_lead_change,
        true as is_probe,
        lead_id,
        handoff_at,
        released_at,
        rule_order,
        routing_weight,
        max_open_leads
    from rule_team_reps

),

prior_open_leads as (

    -- each rep's open leads after every change in the ledger before this run, and at each
    -- handoff instant this run looks at (the probes)
    select
        *,
        sum(open_lead_change) over (
            partition by rep_id
            order by changed_at, is_probe, open_lead_change
            rows between unbounded preceding and current row
        ) as open_lead_count
    from workload_timeline

),

later_peaks as (

    -- the rep's busiest moment while the lead would be open: a lead routed after its handoff
    -- (it waited, or arrived late) must not push the rep over capacity at a later assignment
    -- (one row per probe: the first of its matches)
    select
        probes.*,
        max(later_changes.open_lead_count) over (
            partition by probes.lead_id, probes.rule_order, probes.rep_id
        ) as later_peak_open_lead_count,
        row_number() over (
            partition by probes.lead_id, probes.rule_order, probes.rep_id
            order by later_changes.changed_at
        ) as later_change_number
    from prior_open_leads as probes
    left join prior_open_leads as later_changes
        on
            probes.rep_id = later_changes.rep_id
            and not later_changes.is_probe
            and later_changes.open_lead_change = 1
            and probes.handoff_at < later_changes.changed_at
            and probes.released_at > later_changes.changed_at
    where probes.is_probe

),

rep_eligibility as (

    select
        later_peaks.lead_id,
        later_peaks.handoff_at,
        later_peaks.released_at,
        later_peaks.rule_order,
        later_peaks.rep_id,
        later_peaks.routing_weight,
        later_peaks.max_open_leads,
        later_peaks.open_lead_count,
        rep_time_off.rep_id is null
        and (
            later_peaks.max_open_leads is null
            or (
                later_peaks.open_lead_count < later_peaks.max_open_leads
                and coalesce(later_peaks.later_peak_open_lead_count, 0) < later_peaks.max_open_leads
            )
        ) as is_eligible
    from later_peaks
    {{ join_rep_time_off('rep_time_off', 'later_peaks.rep_id', 'later_peaks.handoff_at') }}
    where later_peaks.later_change_number = 1

),

rule_outcomes as (

    select
        matched_rules.lead_id,
        matched_rules.rule_id,
        matched_rules.rule_order,
        matched_rules.team,
        coalesce(sum(case when rep_eligibility.is_eligible then 1 else 0 end), 0) as eligible_rep_count,
        {{ dbt.listagg(
            "case when rep_eligibility.is_eligible then rep_eligibility.rep_id end",
            "','",
            "order by rep_eligibility.rep_id"
        ) }} as eligible_rep_ids
    from matched_rules
    inner join round_robin_leads
        on matched_rules.lead_id = round_robin_leads.lead_id
    left join rep_eligibility
        on
            matched_rules.lead_id = rep_eligibility.lead_id
            and matched_rules.rule_order = rep_eligibility.rule_order
    group by
        matched_rules.lead_id,
        matched_rules.rule_id,
        matched_rules.rule_order,
        matched_rules.team

),

chosen_rules as (

    -- first matching rule whose team has an eligible rep; earlier ones fall through
    select
        *,
        min(case when eligible_rep_count > 0 then rule_order end) over (
            partition by lead_id
        ) as chosen_rule_order
    from rule_outcomes

),

rule_decisions as (

    select
        lead_id,
        max(case when rule_order = chosen_rule_order then rule_id end) as routing_rule_id,
        max(case when rule_order = chosen_rule_order then team end) as team,
        max(case when rule_order = chosen_rule_order then eligible_rep_count end) as eligible_rep_count,
        -- leads sharing a pool (a team and its eligible reps) share one round-robin draw
        max(case when rule_order = chosen_rule_order then team || ':' || eligible_rep_ids end) as pool_key,
        max(chosen_rule_order) as chosen_rule_order,
        {{ dbt.listagg(
            "case when rule_order < chosen_rule_order then 'rule '
                || rule_id || ' (team ' || team || ')' end",
            "'; '",
            "order by rule_order"
        ) }} as skipped_rules
    from chosen_rules
    where chosen_rule_order is not null
    group by lead_id

),

overflow_leads as (

    -- no matching rule's team had an eligible rep: the lead still gets an owner, from the team
    -- of its last matching rule (the catch-all); the rules it tried are listed in the reason
    select
        round_robin_leads.lead_id,
        round_robin_leads.handoff_at,
        round_robin_leads.owner_rep_id,
        round_robin_leads.owner_unavailable_because,
        catch_all_rules.rule_id as catch_all_rule_id,
        catch_all_rules.team as catch_all_team,
        {{ dbt.listagg(
            "'rule ' || tried_rules.rule_id || ' (team ' || tried_rules.team || ')'",
            "'; '",
            "order by tried_rules.rule_order"
        ) }} as tried_rules
    from round_robin_leads
    left join rule_decisions
        on round_robin_leads.lead_id = rule_decisions.lead_id
    left join matched_rules as catch_all_rules
        on
            round_robin_leads.lead_id = catch_all_rules.lead_id
            and catch_all_rules.is_last_match
    left join matched_rules as tried_rules
        on round_robin_leads.lead_id = tried_rules.lead_id
    where rule_decisions.lead_id is null
    group by
        round_robin_leads.lead_id,
        round_robin_leads.handoff_at,
        round_robin_leads.owner_rep_id,
        round_robin_leads.owner_unavailable_because,
        catch_all_rules.rule_id,
        catch_all_rules.team

),

active_teams as (

    select distinct team
    from reps
    where is_active and team is not null

),

overflow_candidates as (

    -- the catch-all team's active reps; every active rep when that team has none. Reps who
    -- take round-robin leads and are not away come first; then the fewest open leads.
    select
        overflow_leads.*,
        reps.rep_id,
        reps.team,
        dense_rank() over (
            partition by overflow_leads.lead_id
            order by
                case when coalesce(reps.routing_weight, 0) > 0 then 0 else 1 end,
                case when candidate_time_off.rep_id is null then 0 else 1 end
        ) as preference_rank
    from overflow_leads
    left join active_teams
        on overflow_leads.catch_all_team = active_teams.team
    inner join reps
        on
            reps.is_active
            and (overflow_leads.catch_all_team = reps.team or active_teams.team is null)
    {{ join_rep_time_off('candidate_time_off', 'reps.rep_id', 'overflow_leads.handoff_at') }}

),

prior_assignment_spans as (

    select
        prior_assignments.rep_id,
        prior_assignments.assigned_at,
        {{ open_lead_released_at('prior_assignments.assigned_at', 'lead_closures.closed_at') }} as released_at
    from prior_assignments
    left join lead_closures
        on prior_assignments.lead_id = lead_closures.lead_id

),

overflow_loads as (

    -- the preferred candidates, ranked by their open leads at the lead's handoff
    select
        overflow_candidates.lead_id,
        overflow_candidates.handoff_at,
        overflow_candidates.owner_rep_id,
        overflow_candidates.owner_unavailable_because,
        overflow_candidates.catch_all_rule_id,
        overflow_candidates.catch_all_team,
        overflow_candidates.tried_rules,
        overflow_candidates.rep_id,
        overflow_candidates.team,
        count(prior_assignment_spans.rep_id) as open_lead_count
    from overflow_candidates
    left join prior_assignment_spans
        on
            overflow_candidates.rep_id = prior_assignment_spans.rep_id
            and overflow_candidates.handoff_at >= prior_assignment_spans.assigned_at
            and overflow_candidates.handoff_at < prior_assignment_spans.released_at
    where overflow_candidates.preference_rank = 1
    group by
        overflow_candidates.lead_id,
        overflow_candidates.handoff_at,
        overflow_candidates.owner_rep_id,
        overflow_candidates.owner_unavailable_because,
        overflow_candidates.catch_all_rule_id,
        overflow_candidates.catch_all_team,
        overflow_candidates.tried_rules,
        overflow_candidates.rep_id,
        overflow_candidates.team

),

overflow_ranked as (

    select
        *,
        row_number() over (partition by lead_id order by open_lead_count, rep_id) as load_rank,
        count(*) over (partition by lead_id) as candidate_count,
        -- several overflow leads in one run take the least-loaded reps in turn
        dense_rank() over (
            partition by coalesce(catch_all_team, '')
            order by handoff_at, lead_id
        ) as overflow_number
    from overflow_loads

),

overflow_draws as (

    select
        lead_id,
        handoff_at,
        owner_rep_id,
        owner_unavailable_because,
        catch_all_rule_id,
        tried_rules,
        rep_id,
        team,
        open_lead_count
    from overflow_ranked
    where load_rank = (overflow_number - 1) % candidate_count + 1

),

pool_leads as (

    select
        rule_decisions.*,
        round_robin_leads.handoff_at,
        round_robin_leads.owner_rep_id,
        round_robin_leads.owner_unavailable_because,
        row_number() over (
            partition by rule_decisions.pool_key
            order by round_robin_leads.handoff_at, rule_decisions.lead_id
        ) as draw_number,
        count(*) over (partition by rule_decisions.pool_key) as pool_lead_count
    from rule_decisions
    inner join round_robin_leads
        on rule_decisions.lead_id = round_robin_leads.lead_id

),

team_pass_values as (

    select
        team,
        max(rep_pass_value) as team_pass_value
    from prior_assignments
    where assignment_type = 'round_robin'
    group by team

),

rep_pass_values as (

    select
        team,
        rep_id,
        max(rep_pass_value) as last_pass_value
    from prior_assignments
    where assignment_type = 'round_robin'
    group by team, rep_id

),

pool_reps as (

    -- a rep's next pass: one stride after their last draw, but never behind the team's
    -- latest draw. A rep new to the team, or back from leave, joins at the team's latest
    -- draw: no burst to catch up, no wait behind the others.
    select distinct
        pool_leads.pool_key,
        pool_leads.pool_lead_count,
        pool_members.rep_id,
        1.0 / pool_members.routing_weight as stride,
        greatest(
            coalesce(
                rep_pass_values.last_pass_value + 1.0 / pool_members.routing_weight,
                team_pass_values.team_pass_value,
                0.0
            ),
            coalesce(team_pass_values.team_pass_value, 0.0)
        ) as next_pass_value
    from pool_leads
    inner join rep_eligibility as pool_members
        on
            pool_leads.lead_id = pool_members.lead_id
            and pool_leads.chosen_rule_order = pool_members.rule_order
            and pool_members.is_eligible
    left join team_pass_values
        on pool_leads.team = team_pass_values.team
    left join rep_pass_values
        on
            pool_leads.team = rep_pass_values.team
            and pool_members.rep_id = rep_pass_values.rep_id

),

pool_slots as (

    -- each rep's next draws in pass order; the n-th lead of a pool takes the n-th slot
    select
        pool_key,
        rep_id,
        next_pass_value + (slot_number - 1) * stride as slot_pass_value
    from (
        select
            pool_key,
            rep_id,
            stride,
            next_pass_value,
            {{ sequence_rows('pool_lead_count') }} as slot_number
        from pool_reps
    ) as numbered_slots

),

ranked_slots as (

    select
        pool_key,
        rep_id,
        slot_pass_value,
        row_number() over (partition by pool_key order by slot_pass_value, rep_id) as draw_number
    from pool_slots

),

round_robin_draws as (

    select
        pool_leads.*,
        ranked_slots.rep_id,
        ranked_slots.slot_pass_value
    from pool_leads
    inner join ranked_slots
        on
            pool_leads.pool_key = ranked_slots.pool_key
            and pool_leads.draw_number = ranked_slots.draw_number

),

batch_assignments as (

    -- this run's draws, each with what its routing reason tells
    select
        owner_routes.lead_id,
        owner_routes.owner_rep_id as rep_id,
        owner_routes.owner_team as team,
        owner_routes.handoff_at as assigned_at,
        'account_owner' as assignment_type,
        cast(null as {{ type_double() }}) as rep_pass_value,
        cast(null as {{ dbt.type_string() }}) as routing_rule_id,
        owner_routes.company_domain,
        owner_routes.matched_account_id,
        cast(null as {{ dbt.type_string() }}) as owner_rep_id,
        cast(null as {{ dbt.type_string() }}) as owner_unavailable_because,
        cast(null as {{ dbt.type_string() }}) as skipped_rules,
        cast(null as {{ dbt.type_bigint() }}) as eligible_rep_count,
        cast(null as {{ dbt.type_string() }}) as tried_rules,
        cast(null as {{ dbt.type_bigint() }}) as overflow_open_lead_count
    from owner_routes
    where owner_routes.is_owner_available
    union all
    select
        lead_id,
        rep_id,
        team,
        handoff_at as assigned_at,
        'round_robin' as assignment_type,
        slot_pass_value as rep_pass_value,
        routing_rule_id,
        cast(null as {{ dbt.type_string() }}) as company_domain,
        cast(null as {{ dbt.type_string() }}) as matched_account_id,
        owner_rep_id,
        owner_unavailable_because,
        skipped_rules,
        eligible_rep_count,
        cast(null as {{ dbt.type_string() }}) as tried_rules,
        cast(null as {{ dbt.type_bigint() }}) as overflow_open_lead_count
    from round_robin_draws
    union all
    select
        lead_id,
        rep_id,
        team,
        handoff_at as assigned_at,
        'overflow' as assignment_type,
        cast(null as {{ type_double() }}) as rep_pass_value,
        catch_all_rule_id as routing_rule_id,
        cast(null as {{ dbt.type_string() }}) as company_domain,
        cast(null as {{ dbt.type_string() }}) as matched_account_id,
        owner_rep_id,
        owner_unavailable_because,
        cast(null as {{ dbt.type_string() }}) as skipped_rules,
        cast(null as {{ dbt.type_bigint() }}) as eligible_rep_count,
        tried_rules,
        open_lead_count as overflow_open_lead_count
    from overflow_draws

),

batch_releases as (

    select
        batch_assignments.*,
        {{ open_lead_released_at('batch_assignments.assigned_at', 'lead_closures.closed_at') }} as released_at
    from batch_assignments
    left join lead_closures
        on batch_assignments.lead_id = lead_closures.lead_id

),

release_steps as (

    -- a batch assignment opens a lead (+1) at assigned_at and frees it (-1) at released_at
    select 1 as open_lead_change
    union all
    select -1 as open_lead_change

),

batch_workload_timeline as (

    -- capacity inside the batch: the ledger's changes plus the batch's own; a batch row that
    -- opens a lead carries its assignment (lead_id and the rest are null on the others)
    select
        prior_workload_changes.rep_id,
        prior_workload_changes.changed_at,
        prior_workload_changes.open_lead_change,
        true as is_prior,
        cast(null as {{ dbt.type_string() }}) as lead_id,
        cast(null as {{ dbt.type_string() }}) as team,
        cast(null as {{ dbt.type_timestamp() }}) as assigned_at,
        cast(null as {{ dbt.type_timestamp() }}) as released_at,
        cast(null as {{ dbt.type_string() }}) as assignment_type,
        cast(null as {{ type_double() }}) as rep_pass_value,
        cast(null as {{ dbt.type_string() }}) as routing_rule_id,
        cast(null as {{ dbt.type_string() }}) as company_domain,
        cast(null as {{ dbt.type_string() }}) as matched_account_id,
        cast(null as {{ dbt.type_string() }}) as owner_rep_id,
        cast(null as {{ dbt.type_string() }}) as owner_unavailable_because,
        cast(null as {{ dbt.type_string() }}) as skipped_rules,
        cast(null as {{ dbt.type_bigint() }}) as eligible_rep_count,
        cast(null as {{ dbt.type_string() }}) as tried_rules,
        cast(null as {{ dbt.type_bigint() }}) as overflow_open_lead_count
    from prior_workload_changes
    union all
    select
        batch_releases.rep_id,
        case
            when release_steps.open_lead_change = 1 then batch_releases.assigned_at
            else batch_releases.released_at
        end as changed_at,
        release_steps.open_lead_change,
        false as is_prior,
        case when release_steps.open_lead_change = 1 then batch_releases.lead_id end as lead_id,
        batch_releases.team,
        batch_releases.assigned_at,
        batch_releases.released_at,
        batch_releases.assignment_type,
        batch_releases.rep_pass_value,
        batch_releases.routing_rule_id,
        batch_releases.company_domain,
        batch_releases.matched_account_id,
        batch_releases.owner_rep_id,
        batch_releases.owner_unavailable_because,
        batch_releases.skipped_rules,
        batch_releases.eligible_rep_count,
        batch_releases.tried_rules,
        batch_releases.overflow_open_lead_count
    from batch_releases
    cross join release_steps

),

batch_open_leads as (

    select
        *,
        sum(open_lead_change) over (
            partition by rep_id
            order by changed_at, open_lead_change, coalesce(lead_id, '')
            rows between unbounded preceding and current row
        ) as open_lead_count
    from batch_workload_timeline

),

batch_later_peaks as (

    -- each draw with its rep's open leads, and the ledger's later assignments recounted with
    -- this batch (one row per draw: the first of its matches)
    select
        batch_draws.*,
        max(later_changes.open_lead_count) over (
            partition by batch_draws.lead_id
        ) as later_peak_open_lead_count,
        row_number() over (
            partition by batch_draws.lead_id
            order by later_changes.changed_at
        ) as later_change_number
    from batch_open_leads as batch_draws
    left join batch_open_leads as later_changes
        on
            batch_draws.rep_id = later_changes.rep_id
            and later_changes.is_prior
            and later_changes.open_lead_change = 1
            and batch_draws.changed_at < later_changes.changed_at
            and batch_draws.released_at > later_changes.changed_at
    where batch_draws.lead_id is not null

),

accepted_assignments as (

    -- a draw that would take its rep over capacity now or at a later assignment waits for
    -- the next run (account owners and overflow are not capacity-bound)
    select batch_later_peaks.*
    from batch_later_peaks
    inner join reps
        on batch_later_peaks.rep_id = reps.rep_id
    where
        batch_later_peaks.later_change_number = 1
        and (
            batch_later_peaks.assignment_type in ('account_owner', 'overflow')
            or reps.max_open_leads is null
            or (
                batch_later_peaks.open_lead_count <= reps.max_open_leads
                and coalesce(batch_later_peaks.later_peak_open_lead_count, 0) <= reps.max_open_leads
            )
        )

),

final as (

    select
        lead_id || ':' || assignment_type as assignment_id,
        lead_id,
        rep_id,
        team,
        assigned_at,
        assignment_type,
        routing_rule_id,
        case
            when assignment_type = 'account_owner'
                then
                    'Company domain ' || company_domain || ' matches account '
                    || matched_account_id || '; its owner ' || rep_id
                    || ' is active and available.'
            when assignment_type = 'overflow'
                then
                    coalesce(
                        'Account owner ' || owner_rep_id || ' '
                        || owner_unavailable_because || '. ',
                        ''
                    )
                    || 'Capacity exceeded: no eligible rep in '
                    || coalesce(tried_rules, 'any matching rule')
                    || ' (inactive, on time off or at max_open_leads). Overflow to '
                    || rep_id || ' of team ' || team
                    || ', the active rep with the fewest open leads ('
                    || cast(overflow_open_lead_count as {{ dbt.type_string() }}) || ').'
            else
                coalesce(
                    'Account owner ' || owner_rep_id || ' '
                    || owner_unavailable_because || '. ',
                    ''
                )
                || 'Rule ' || routing_rule_id || ' matched (team '
                || team || ')'
                || coalesce('; fell through ' || skipped_rules || ': no eligible rep', '')
                || '. Weighted round robin among ' || cast(eligible_rep_count as {{ dbt.type_string() }})
                || ' eligible rep(s): ' || rep_id || ' had the lowest pass value ('
                || {{ double_text(round_to("rep_pass_value", 3)) }}
                || ') with ' || cast(open_lead_count - 1 as {{ dbt.type_string() }})
                || ' open leads.'
        end as routing_reason,
        rep_pass_value,
        open_lead_count as rep_open_lead_count,
        {{ as_of() }} as recorded_at
    from accepted_assignments

)

select * from final
