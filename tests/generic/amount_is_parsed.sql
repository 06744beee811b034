{#-
    Every printed, non-missing amount must have parsed: fails on rows where the parsed
    column is null although the cell was printed (e.g. "1.2.3" or "-" in a money cell).
    Defaults follow the staging naming: `<cell>_wan` parsed from `<cell>_printed`.
-#}
{% test amount_is_parsed(model, column_name, printed_column=none, cell_name=none, missing_cells_column='missing_cells') %}
    {%- set cell = cell_name if cell_name is not none else column_name | replace('_wan', '') -%}
    {%- set printed = printed_column if printed_column is not none else cell ~ '_printed' %}
    select *
    from {{ model }}
    where {{ column_name }} is null
        and {{ strip_amount_text(printed) }} <> ''
        {%- if missing_cells_column %}
            and not {{ is_missing_cell(missing_cells_column, cell) }}
        {%- endif %}
{% endtest %}
