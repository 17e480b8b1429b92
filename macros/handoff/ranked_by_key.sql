{#- The dedup of a base_ model, as two CTEs to place in its `with` list: `<rows>_duplicated_keys`
    and `ranked` (the rows of CTE `rows` with key_rank: 1 = the row that keeps the key). Of
    several rows with one key, the first by `order_by` (expressions over the columns of `rows`)
    wins. Only keys with several rows go through the window: ranking millions of unique keys
    cost more than all the rest of the model. Rows without a key rank 1 (they are quarantined
    for the missing key anyway). -#}
{% macro ranked_by_key(rows, key_column, order_by) -%}
{{ rows }}_duplicated_keys as (

    select {{ key_column }}
    from {{ rows }}
    where {{ key_column }} is not null
    group by {{ key_column }}
    having count(*) > 1

),

ranked as (

    select
        {{ rows }}.*,
        1 as key_rank
    from {{ rows }}
    left join {{ rows }}_duplicated_keys
        on {{ rows }}.{{ key_column }} = {{ rows }}_duplicated_keys.{{ key_column }}
    where {{ rows }}_duplicated_keys.{{ key_column }} is null
    union all
    select
        {{ rows }}.*,
        row_number() over (partition by {{ rows }}.{{ key_column }} order by {{ order_by }}) as key_rank
    from {{ rows }}
    inner join {{ rows }}_duplicated_keys
        on {{ rows }}.{{ key_column }} = {{ rows }}_duplicated_keys.{{ key_column }}

)
{%- endmacro %}
