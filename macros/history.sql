{#-
    The rows of one load-history table (source load_history, Parquet appended by
    `fiscal-dw run`), each column cast to its type. While there is no history yet (a plain
    `dbt build`, a warehouse that never had a load) the same columns come back with no row:
    read_parquet fails on a pattern that matches no file.
    `columns` is a list of (name, type) pairs.
-#}
{% macro history_rows(table, columns) -%}
    {%- set relation = source('load_history', table) -%}
    {%- set present = true -%}
    {%- if execute -%}
        {%- set pattern = env_var('FISCAL_DW_HISTORY_DIR', 'warehouse/history/fiscal') ~ '/' ~ table ~ '/*.parquet' -%}
        {%- set found = run_query("select count(*) from glob('" ~ pattern | replace("'", "''") ~ "')") -%}
        {%- set present = found.columns[0].values()[0] > 0 -%}
    {%- endif %}
    select
    {%- for name, type in columns %}
        cast({{ name if present else 'null' }} as {{ type }}) as {{ name }}{{ "," if not loop.last }}
    {%- endfor %}
    {% if present -%} from {{ relation }} {%- else -%} where false {%- endif %}
{%- endmacro %}
