-- Who manages each team: the team's active rep with role `manager` (the first by rep_id when
-- there are several), else the manager most of the team's active reps report to. Team-level
-- notices (a sustained compliance drop, a process-redesign item) go to this person.
with

reps as (

    select * from {{ ref('stg_crm__sales_reps') }}
    where is_active and team is not null

),

team_role_managers as (

    select
        team,
        min(rep_id) as manager_rep_id
    from reps
    where role = 'manager'
    group by team

),

reporting_lines as (

    select
        team,
        manager_id,
        row_number() over (partition by team order by count(*) desc, manager_id) as line_rank
    from reps
    where manager_id is not null
    group by team, manager_id

),

teams as (

    select distinct team from reps

),

final as (

    select
        teams.team,
        coalesce(team_role_managers.manager_rep_id, reporting_lines.manager_id) as manager_rep_id,
        case
            when team_role_managers.manager_rep_id is not null then 'team_manager_role'
            when reporting_lines.manager_id is not null then 'most_common_manager'
        end as manager_source
    from teams
    left join team_role_managers
        on teams.team = team_role_managers.team
    left join reporting_lines
        on
            teams.team = reporting_lines.team
            and reporting_lines.line_rank = 1

)

select * from final
