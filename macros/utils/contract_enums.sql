{#- The closed value lists of the raw contract (docs/contract.md section 1). They are part of
    the interface, not rules an analytics engineer tunes (those live in seeds), so staging
    checks them here. The staging YAML repeats them in `accepted_values` tests on purpose:
    an independent assertion of what the SQL lets through. -#}
{% macro contract_enum(name) -%}
    {%- set enums = {
        'role': ['sdr', 'ae', 'manager'],
        'channel': ['email', 'call', 'linkedin', 'sms', 'meeting'],
        'direction': ['outbound', 'inbound'],
        'call_outcome': ['connected', 'voicemail', 'no_answer'],
        'disposition_status': ['accepted', 'rejected', 'working', 'converted'],
        'rejection_reason': [
            'wrong_persona', 'wrong_company_size', 'no_budget', 'already_customer',
            'timing_mismatch', 'competitor', 'student', 'duplicate', 'bad_data', 'other'
        ],
        'form_timeline': ['immediately', 'this_quarter', 'this_year', 'no_plans'],
        'form_budget_status': ['approved', 'planned', 'none', 'unknown'],
    } -%}
    {%- if name not in enums -%}
        {{ exceptions.raise_compiler_error("contract_enum: unknown enum '" ~ name ~ "'") }}
    {%- endif -%}
    {{ return(enums[name]) }}
{%- endmacro %}

{#- True when the expression is one of the enum's values (null stays null: test it first). -#}
{% macro in_contract_enum(expression, name) -%}
    {{ expression }} in (
        {%- for value in contract_enum(name) -%}
            '{{ value }}'{% if not loop.last %}, {% endif %}
        {%- endfor -%}
    )
{%- endmacro %}
