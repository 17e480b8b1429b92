{#- Bands [lower, upper) do not overlap: no value falls into two bands of the same partition.
    A null lower bound means "from minus infinity", a null upper bound "to infinity". Fails with
    one row per overlapping pair ("size_band=small [10, 50) overlaps size_band=medium [40, 200)")
    and one per band whose upper bound is not above its lower bound. With `check_gaps`, a value
    between two consecutive bands that no band covers is reported too. -#}
{% test no_overlapping_ranges(
    model,
    lower_bound_column,
    upper_bound_column,
    key_column,
    partition_by=none,
    check_gaps=false
) %}
    {%- set partitions = rule_test_columns(partition_by) -%}
    {%- set keys = rule_test_columns(key_column) -%}
    {%- set failures_sql -%}
        with

        bands as (

            select
                {{ rule_test_row_key(partitions + keys) }} as band_name,
                {% for column in partitions -%}
                    {{ column }} as partition_{{ loop.index }},
                {% endfor -%}
                {{ lower_bound_column }} as lower_bound,
                {{ upper_bound_column }} as upper_bound
            from {{ model }}

        ),

        described as (

            select
                *,
                band_name || ' [' || {{ rule_test_text('lower_bound') }} || ', '
                || {{ rule_test_text('upper_bound') }} || ')' as band_text
            from bands

        ),

        inverted as (

            select described.band_text || ': upper bound is not above the lower bound' as failing_row
            from described
            where lower_bound is not null and upper_bound is not null and upper_bound <= lower_bound

        ),

        overlapping as (

            select first_band.band_text || ' overlaps ' || second_band.band_text as failing_row
            from described as first_band
            inner join described as second_band
                on
                    first_band.band_name < second_band.band_name
                    {% for column in partitions -%}
                        and first_band.partition_{{ loop.index }} = second_band.partition_{{ loop.index }}
                    {% endfor -%}
                    and (first_band.lower_bound is null or second_band.upper_bound is null
                        or first_band.lower_bound < second_band.upper_bound)
                    and (second_band.lower_bound is null or first_band.upper_bound is null
                        or second_band.lower_bound < first_band.upper_bound)

        ),

        {% if check_gaps -%}
        ordered as (

            select
                band_text,
                upper_bound,
                lead(lower_bound) over (
                    {% if partitions -%}
                        partition by
                        {%- for column in partitions %} partition_{{ loop.index }}{% if not loop.last %},{% endif %}{% endfor %}
                    {% endif -%}
                    order by lower_bound
                ) as next_lower_bound,
                lead(band_text) over (
                    {% if partitions -%}
                        partition by
                        {%- for column in partitions %} partition_{{ loop.index }}{% if not loop.last %},{% endif %}{% endfor %}
                    {% endif -%}
                    order by lower_bound
                ) as next_band_text
            from described

        ),

        gaps as (

            select band_text || ' and ' || next_band_text || ' leave a gap' as failing_row
            from ordered
            where upper_bound < next_lower_bound

        ),
        {%- endif %}

        failures as (

            select failing_row from inverted
            union all
            select failing_row from overlapping
            {% if check_gaps -%}
                union all
                select failing_row from gaps
            {%- endif %}

        )

        select * from failures
    {%- endset -%}
    {{ rule_test_failures(failures_sql, model, 'no_overlapping_ranges') }}
{% endtest %}
