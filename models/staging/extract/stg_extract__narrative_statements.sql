-- Statements of the narrative (第三部分 情况说明) that carry no figure of their own, one row
-- each (docs/raw_tables_narrative.md): a direction word comparing a 支出决算 with its 年初预算,
-- the reason a budget paragraph gives (blank word: none), a fund said to have had nothing,
-- a 三公 item said to have changed and stayed level. The figures a statement is about are
-- named by their figure_seq in stg_extract__narrative_figures.
with source as (
    select * from {{ raw_table('raw_narrative_statements') }}
)

select
    document_id,
    source_table,
    cast(source_line as integer) as source_line,
    cast(statement_seq as integer) as statement_seq,
    section,
    statement_kind,
    nullif(trim(subject_key), '') as subject_key,
    nullif(trim(word), '') as word,
    sentence,
    try_cast(nullif(budget_figure_seq, '') as integer) as budget_figure_seq,
    try_cast(nullif(actual_figure_seq, '') as integer) as actual_figure_seq,
    try_cast(nullif(rate_figure_seq, '') as integer) as rate_figure_seq
from source
