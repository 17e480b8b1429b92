{#- Left join of the rep's time off span holding the instant (int_rep_time_off_merged: spans
    never overlap, so at most one row matches). After it, `<alias>.rep_id is not null` means
    the rep is away at that instant. The one definition of "rep available at instant". -#}
{% macro join_rep_time_off(alias, rep_expression, instant_expression) -%}
    left join {{ ref('int_rep_time_off_merged') }} as {{ alias }}
        on
            {{ rep_expression }} = {{ alias }}.rep_id
            and {{ instant_expression }} >= {{ alias }}.starts_at
            and {{ instant_expression }} < {{ alias }}.ends_at
{%- endmacro %}
