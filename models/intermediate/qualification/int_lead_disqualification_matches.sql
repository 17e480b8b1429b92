-- Long because every disqualification check reads the same leads and domains in one pass;
-- each reason is one short, named CTE.
-- One row per lead (existing as of as_of) x disqualification reason it matches, whether the
-- reason is enabled in `disqualification_rules` or not (int_leads_disqualified applies the
-- enabled ones; monitoring shows what a disabled one would do), judged on the lead's
-- attributes as of as_of. Each reason is one check joined to its seed:
--   competitor          email or company domain in competitor_domains (or a subdomain of one)
--   already_customer    the matched account is a customer
--   student             email or company domain matches an email_domain student pattern, or
--                       the lower-cased job title a job_title pattern
--   unserved_country    country_territories.is_served = false
--   below_minimum_*     revenue / employee count below the rule's minimum (unknown: no)
--   personal_email      email domain in personal_email_domains
with

leads as (

    select * from {{ ref('stg_crm__leads') }}

),

current_attributes as (

    select * from {{ ref('int_lead_attributes_versioned') }}
    where is_current_version

),

accounts_matched as (

    select * from {{ ref('int_leads_account_matched') }}

),

disqualification_rules as (

    select * from {{ ref('disqualification_rules') }}

),

competitor_domains as (

    select * from {{ ref('competitor_domains') }}

),

student_patterns as (

    select * from {{ ref('student_patterns') }}

),

personal_email_domains as (

    select * from {{ ref('personal_email_domains') }}

),

leads_in_scope as (

    select
        leads.lead_id,
        leads.email_domain,
        leads.company_domain,
        current_attributes.country_code,
        current_attributes.is_served_country,
        current_attributes.employee_count,
        current_attributes.annual_revenue_usd,
        lower(current_attributes.job_title) as title_lower
    from leads
    inner join current_attributes
        on leads.lead_id = current_attributes.lead_id

),

lead_domains as (

    select
        lead_id,
        email_domain as domain  -- noqa: RF04
    from leads_in_scope
    where email_domain is not null
    union
    select
        lead_id,
        company_domain as domain  -- noqa: RF04
    from leads_in_scope
    where company_domain is not null

),

competitor_matches as (

    select
        lead_domains.lead_id,
        'competitor' as reason,
        lead_domains.domain || ' (' || competitor_domains.competitor_name || ')' as detail
    from lead_domains
    inner join competitor_domains
        on
            lead_domains.domain = competitor_domains.domain
            or lead_domains.domain like '%.' || competitor_domains.domain

),

customer_matches as (

    select
        lead_id,
        'already_customer' as reason,
        'account ' || matched_account_id as detail
    from accounts_matched
    where is_existing_customer

),

distinct_domains as (

    -- each distinct domain and title is matched once against the student patterns (a pattern
    -- read from a table is compiled per row)
    select distinct domain  -- noqa: RF04
    from lead_domains

),

distinct_titles as (

    select distinct title_lower
    from leads_in_scope
    where title_lower is not null

),

student_domains as (

    select distinct distinct_domains.domain
    from distinct_domains
    inner join student_patterns
        on
            student_patterns.applies_to = 'email_domain'
            and {{ regex_matches('distinct_domains.domain', 'student_patterns.pattern') }}

),

student_titles as (

    select distinct distinct_titles.title_lower
    from distinct_titles
    inner join student_patterns
        on
            student_patterns.applies_to = 'job_title'
            and {{ regex_matches('distinct_titles.title_lower', 'student_patterns.pattern') }}

),

student_domain_matches as (

    select
        lead_domains.lead_id,
        'student' as reason,
        'domain ' || lead_domains.domain as detail
    from lead_domains
    inner join student_domains
        on lead_domains.domain = student_domains.domain

),

student_title_matches as (

    select
        leads_in_scope.lead_id,
        'student' as reason,
        'job title ' || leads_in_scope.title_lower as detail
    from leads_in_scope
    inner join student_titles
        on leads_in_scope.title_lower = student_titles.title_lower

),

unserved_country_matches as (

    select
        lead_id,
        'unserved_country' as reason,
        'country ' || country_code as detail
    from leads_in_scope
    where not is_served_country

),

revenue_matches as (

    select
        leads_in_scope.lead_id,
        'below_minimum_revenue' as reason,
        'revenue USD ' || cast(cast(leads_in_scope.annual_revenue_usd as bigint) as {{ dbt.type_string() }})
        || ' < ' || cast(cast(disqualification_rules.min_annual_revenue_usd as bigint) as {{ dbt.type_string() }})
            as detail
    from leads_in_scope
    inner join disqualification_rules
        on
            disqualification_rules.reason = 'below_minimum_revenue'
            and leads_in_scope.annual_revenue_usd < disqualification_rules.min_annual_revenue_usd

),

size_matches as (

    select
        leads_in_scope.lead_id,
        'below_minimum_size' as reason,
        cast(leads_in_scope.employee_count as {{ dbt.type_string() }}) || ' employees < '
        || cast(disqualification_rules.min_employee_count as {{ dbt.type_string() }}) as detail
    from leads_in_scope
    inner join disqualification_rules
        on
            disqualification_rules.reason = 'below_minimum_size'
            and leads_in_scope.employee_count < disqualification_rules.min_employee_count

),

personal_email_matches as (

    select
        leads_in_scope.lead_id,
        'personal_email' as reason,
        'email domain ' || leads_in_scope.email_domain as detail
    from leads_in_scope
    inner join personal_email_domains
        on leads_in_scope.email_domain = personal_email_domains.domain

),

matches as (

    select * from competitor_matches
    union all
    select * from customer_matches
    union all
    select * from student_domain_matches
    union all
    select * from student_title_matches
    union all
    select * from unserved_country_matches
    union all
    select * from revenue_matches
    union all
    select * from size_matches
    union all
    select * from personal_email_matches

),

final as (

    -- one row per lead and reason (the first detail when a reason matched several ways)
    select
        lead_id,
        reason,
        min(detail) as detail
    from matches
    group by lead_id, reason

)

select * from final
