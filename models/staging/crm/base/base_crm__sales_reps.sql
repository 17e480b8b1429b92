{{ config(tags=['quarantine']) }}
{#- Accepted spellings of each working day; output uses the three-letter key (ISO order). -#}
{%- set weekday_spellings = {
    'mon': ['mon', 'monday'],
    'tue': ['tue', 'tues', 'tuesday'],
    'wed': ['wed', 'weds', 'wednesday'],
    'thu': ['thu', 'thur', 'thurs', 'thursday'],
    'fri': ['fri', 'friday'],
    'sat': ['sat', 'saturday'],
    'sun': ['sun', 'sunday'],
} -%}
{%- set all_spellings = weekday_spellings.values() | sum(start=[]) -%}
{#- Every work_days token wrapped in its own pair of commas, whitespace dropped: ',mon,,tue,'. -#}
{%- set work_day_tokens -%}
    concat(',', replace({{ regex_replace_all(clean_code('work_days'), "'\\s+'", "''") }}, ',', ',,'), ',')
{%- endset -%}
{#- Same-day shifts only: the end may be 24:00, overnight shifts (end <= start) are invalid. -#}
{%- set start_pattern = "'^([01]?[0-9]|2[0-3]):[0-5][0-9](:00)?$'" -%}
{%- set end_pattern = "'^(([01]?[0-9]|2[0-3]):[0-5][0-9]|24:00)(:00)?$'" -%}

with

source as (

    select * from {{ source('crm', 'sales_reps') }}

),

time_zones as (

    select * from {{ time_zone_names() }} as engine_time_zones

),

cleaned as (

    select
        {{ clean_text('rep_id') }} as rep_id,
        {{ clean_text('full_name') }} as full_name,
        {{ clean_code('email') }} as email,
        {{ clean_code('role') }} as role_text,
        {{ clean_code('team') }} as team,
        {{ clean_text('manager_id') }} as manager_id_text,
        {{ clean_text('backup_rep_id') }} as backup_rep_id_text,
        {{ clean_text('timezone') }} as timezone_text,
        {{ clean_text('work_start_local') }} as work_start_local_text,
        {{ clean_text('work_end_local') }} as work_end_local_text,
        {{ work_day_tokens }} as work_day_tokens,
        {%- for day, spellings in weekday_spellings.items() %}
            {{ regex_matches(work_day_tokens, "',(" ~ spellings | join('|') ~ "),'") }} as works_{{ day }},
        {%- endfor %}
        upper({{ clean_text('holiday_calendar') }}) as holiday_calendar,
        {{ clean_text('max_open_leads') }} as max_open_leads_text,
        {{ try_cast(clean_text('max_open_leads'), 'integer') }} as max_open_leads_parsed,
        {{ clean_text('routing_weight') }} as routing_weight_text,
        {{ try_cast(clean_text('routing_weight'), type_double()) }} as routing_weight_parsed,
        {{ clean_text('is_active') }} as is_active_text,
        {{ parse_boolean('is_active') }} as is_active_parsed,
        {{ clean_text('slack_member_id') }} as slack_member_id
    from source

),

validated as (

    select
        cleaned.*,
        time_zones.time_zone_name as timezone,
        case
            when {{ regex_matches('cleaned.work_start_local_text', start_pattern) }}
                then
                    cast({{ dbt.split_part('cleaned.work_start_local_text', "':'", 1) }} as integer) * 60
                    + cast({{ dbt.split_part('cleaned.work_start_local_text', "':'", 2) }} as integer)
        end as work_start_minute,
        case
            when {{ regex_matches('cleaned.work_end_local_text', end_pattern) }}
                then
                    cast({{ dbt.split_part('cleaned.work_end_local_text', "':'", 1) }} as integer) * 60
                    + cast({{ dbt.split_part('cleaned.work_end_local_text', "':'", 2) }} as integer)
        end as work_end_minute,
        -- what is left once every known weekday token is removed: only commas when all are valid
        replace(
            {{ regex_replace_all(
                'cleaned.work_day_tokens',
                "',(" ~ all_spellings | join('|') ~ "),'",
                "''"
            ) }},
            ',',
            ''
        ) as unknown_work_day_tokens,
        nullif(
            concat_ws(
                ',',
                case when cleaned.works_mon then 'mon' end,
                case when cleaned.works_tue then 'tue' end,
                case when cleaned.works_wed then 'wed' end,
                case when cleaned.works_thu then 'thu' end,
                case when cleaned.works_fri then 'fri' end,
                case when cleaned.works_sat then 'sat' end,
                case when cleaned.works_sun then 'sun' end
            ),
            ''
        ) as work_days
    from cleaned
    left join time_zones
        on lower(cleaned.timezone_text) = lower(time_zones.time_zone_name)

),

ranked as (

    -- of several rows for one rep, a usable one wins; the others are quarantined as duplicates
    select
        *,
        row_number() over (
            partition by rep_id
            order by
                case
                    when
                        timezone is null
                        or work_start_minute is null
                        or work_end_minute is null
                        or work_end_minute <= work_start_minute
                        or work_days is null
                        or unknown_work_day_tokens != ''
                        then 1
                    else 0
                end asc,
                is_active_parsed desc nulls first,
                full_name asc,
                email asc
        ) as key_rank
    from validated

),

checked as (

    select
        *,
        case
            when rep_id is null then 'missing_required_field:rep_id'
            when timezone is null then 'unknown_time_zone:timezone'
            when work_start_minute is null then 'invalid_value:work_start_local'
            when work_end_minute is null or work_end_minute <= work_start_minute then 'invalid_value:work_end_local'
            when work_days is null or unknown_work_day_tokens != '' then 'invalid_value:work_days'
            when key_rank > 1 then 'duplicate_key:rep_id'
        end as quarantine_reason
    from ranked

),

clean_reps as (

    select rep_id from checked
    where quarantine_reason is null

),

linked as (

    -- manager and backup must be other reps that are themselves usable (self lookup)
    select
        checked.*,
        managers.rep_id as known_manager_id,
        backups.rep_id as known_backup_rep_id
    from checked
    left join clean_reps as managers
        on
            checked.manager_id_text = managers.rep_id
            and checked.manager_id_text != checked.rep_id
    left join clean_reps as backups
        on
            checked.backup_rep_id_text = backups.rep_id
            and checked.backup_rep_id_text != checked.rep_id

),

final as (

    select
        rep_id,
        full_name,
        email,
        case when {{ in_contract_enum('role_text', 'role') }} then role_text end as role,  -- noqa: RF04
        team,
        known_manager_id as manager_id,
        known_backup_rep_id as backup_rep_id,
        timezone,
        case when work_start_minute is not null then work_start_local_text end as work_start_local,
        case when work_end_minute is not null then work_end_local_text end as work_end_local,
        work_start_minute,
        work_end_minute,
        work_days,
        holiday_calendar,
        -- null = no capacity limit
        case when max_open_leads_parsed >= 0 then max_open_leads_parsed end as max_open_leads,
        coalesce(
            case when routing_weight_parsed >= 0 then routing_weight_parsed end,
            cast(1.0 as {{ type_double() }})
        ) as routing_weight,
        coalesce(is_active_parsed, true) as is_active,
        slack_member_id,
        {{ key_text(['rep_id']) }} as record_key,
        quarantine_reason,
        case
            when role_text is not null and not {{ in_contract_enum('role_text', 'role') }}
                then 'unknown_enum_value:role'
            when manager_id_text = rep_id then 'invalid_value:manager_id'
            when manager_id_text is not null and known_manager_id is null then 'orphan_foreign_key:manager_id'
            when backup_rep_id_text = rep_id then 'invalid_value:backup_rep_id'
            when backup_rep_id_text is not null and known_backup_rep_id is null
                then 'orphan_foreign_key:backup_rep_id'
            when max_open_leads_text is not null and max_open_leads_parsed is null
                then 'unparseable_number:max_open_leads'
            when max_open_leads_parsed < 0 then 'invalid_value:max_open_leads'
            when routing_weight_text is not null and routing_weight_parsed is null
                then 'unparseable_number:routing_weight'
            when routing_weight_parsed < 0 then 'invalid_value:routing_weight'
            when is_active_text is not null and is_active_parsed is null then 'unparseable_boolean:is_active'
        end as value_issue
    from linked

)

select * from final
