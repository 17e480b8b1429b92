-- One row per lead that exists as of as_of: the CRM account its domain matches, if any. The
-- domain is the lead's company_domain, or its email domain when the company domain is
-- missing; a personal email domain (seed `personal_email_domains`) never matches. A domain
-- listed in seed `account_domain_aliases` matches the account it stands for. Of several
-- accounts with the same domain, a customer account wins, then the lowest account_id.
with

leads as (

    select * from {{ ref('stg_crm__leads') }}

),

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

personal_email_domains as (

    select * from {{ ref('personal_email_domains') }}

),

account_domain_aliases as (

    select * from {{ ref('account_domain_aliases') }}

),

leads_in_scope as (

    select *
    from leads
    where created_at <= {{ as_of() }}

),

candidate_domains as (

    select
        leads_in_scope.lead_id,
        case
            when leads_in_scope.company_domain is not null and personal_company.domain is null
                then leads_in_scope.company_domain
            when leads_in_scope.email_domain is not null and personal_email.domain is null
                then leads_in_scope.email_domain
        end as match_domain
    from leads_in_scope
    left join personal_email_domains as personal_company
        on leads_in_scope.company_domain = personal_company.domain
    left join personal_email_domains as personal_email
        on leads_in_scope.email_domain = personal_email.domain

),

account_matches as (

    select
        candidate_domains.lead_id,
        accounts.account_id,
        accounts.owner_rep_id,
        coalesce(accounts.is_customer, false) as is_customer,
        row_number() over (
            partition by candidate_domains.lead_id
            order by coalesce(accounts.is_customer, false) desc, accounts.account_id
        ) as match_rank
    from candidate_domains
    left join account_domain_aliases
        on candidate_domains.match_domain = account_domain_aliases.alias_domain
    inner join accounts
        on coalesce(account_domain_aliases.account_domain, candidate_domains.match_domain) = accounts.domain

),

final as (

    select
        candidate_domains.lead_id,
        candidate_domains.match_domain,
        account_matches.account_id as matched_account_id,
        account_matches.owner_rep_id as matched_account_owner_rep_id,
        coalesce(account_matches.is_customer, false) as is_existing_customer
    from candidate_domains
    left join account_matches
        on
            candidate_domains.lead_id = account_matches.lead_id
            and account_matches.match_rank = 1

)

select * from final
