{#-
    The rows of one load-history table (source load_history, Parquet appended by
    `fiscal-dw run`), each column cast to its type. While there is no history yet (a plain
    `dbt build`, a warehouse that never had a load) the same columns come back with no row:
    read_parquet fails on a pattern that matches no file.
    Only the rows of committed loads count (a commit marker in `commits/`, written once the
    load's warehouse was swapped in), and those of the load being built (FISCAL_DW_LOAD_ID,
    set by `fiscal-dw run`; only its own warehouse file shows them): a load whose run died
    before its swap is never seen (docs/loads.md).
    `columns` is a list of (name, type) pairs.
-#}
{% macro history_rows(table, columns) -%}
    {%- set relation = source('load_history', table) -%}
    {%- set present = true -%}
    {%- set committed = true -%}
    {%- set building = '' -%}
    {%- set commits = '' -%}
    {%- if execute -%}
        {%- set folder = env_var('FISCAL_DW_HISTORY_DIR', 'warehouse/history/fiscal') | replace("'", "''") -%}
        {%- set pattern = folder ~ '/' ~ table ~ '/*.parquet' -%}
        {%- set found = run_query("select count(*) from glob('" ~ pattern ~ "')") -%}
        {%- set present = found.columns[0].values()[0] > 0 -%}
        {%- set commits = folder ~ '/commits/*.parquet' -%}
        {%- set found = run_query("select count(*) from glob('" ~ commits ~ "')") -%}
        {%- set committed = found.columns[0].values()[0] > 0 -%}
        {%- set building = env_var('FISCAL_DW_LOAD_ID', '') | replace("'", "''") -%}
    {%- endif %}
    select
    {%- for name, type in columns %}
        cast({{ name if present else 'null' }} as {{ type }}) as {{ name }}{{ "," if not loop.last }}
    {%- endfor %}
    {% if present -%} from {{ relation }}
    where
        load_id = '{{ building }}'
        {%- if committed %}
        or load_id in (select commits.load_id from read_parquet('{{ commits }}') as commits)
        {%- endif %}
    {%- else -%} where false {%- endif %}
{%- endmacro %}
