-- Summary tables and report prose against the self-evaluation tables they summarise
-- (matches in int_perf_statement_matches): coverage both ways, reprinted tables, and
-- the amounts, rate, score and grade of each matched pair.
with statements as (
    select * from {{ ref('int_perf_statements') }}
),

matches as (
    select * from {{ ref('int_perf_statement_matches') }}
),

tables as (
    select * from {{ ref('int_perf_self_evaluations') }}
),

pairs as (
    select
        statements.statement_id,
        statements.document_id,
        statements.statement_kind,
        statements.source_table || ':' || statements.source_line as scope,
        statements.source_table as statement_table,
        coalesce(statements.project_name, '') as statement_project,
        cast(statements.source_line as varchar) as statement_line,
        statements.initial_budget_wan as statement_initial_wan,
        statements.adjusted_budget_wan as statement_adjusted_wan,
        statements.executed_wan as statement_executed_wan,
        statements.execution_rate_printed as statement_rate_printed,
        statements.execution_rate_ratio as statement_rate,
        statements.execution_rate_decimals as statement_rate_decimals,
        statements.indicator_score as statement_indicator_score,
        statements.total_score as statement_score,
        statements.grade as statement_grade,
        tables.source_table || ' ' || coalesce(tables.project_name, '') || ' (line ' || tables.source_line || ')'
            as table_label,
        cast(tables.source_line as varchar) as table_line,
        tables.source_table as table_source_table,
        tables.project_seq as table_project_seq,
        tables.initial_budget_wan,
        tables.adjusted_budget_wan,
        tables.executed_wan,
        tables.execution_rate_printed,
        tables.execution_rate_ratio,
        tables.execution_rate_decimals,
        tables.indicator_score_total,
        coalesce(tables.total_score_printed, tables.total_score_computed) as table_score,
        case when tables.total_score_printed is not null then '总分 as printed' else '预算执行 得分 + Σ indicator 得分' end
            as table_score_label,
        tables.indicator_source_lines
    from matches
    inner join statements
        on matches.statement_id = statements.statement_id
    inner join tables
        on
            matches.document_id = tables.document_id
            and matches.table_source_table = tables.source_table
            and matches.project_seq = tables.project_seq
),

-- summary rows: how many tables each one matched
summary_rows_matched as (
    select
        'perf_summary_row_matched' as rule_id,
        statements.document_id,
        statements.source_table || ':' || statements.source_line as scope,
        '{{ this.name }}' as evaluated_by,
        statements.source_table,
        statements.source_line,
        cast(null as varchar) as measure,
        statements.source_table || ' row ' || statements.row_seq || ' ' || coalesce(statements.project_name, '')
        || ' (rate ' || coalesce(statements.execution_rate_printed, '∅')
        || ', score ' || {{ number_text('statements.total_score') }} || ')' as lhs_label,
        1 as lhs_value,
        'self-evaluation tables with these figures' as rhs_label,
        count(matches.statement_id) as rhs_value,
        cast(statements.source_line as varchar) as lhs_source_lines,
        {{ source_lines('tables.source_line') }} as rhs_source_lines
    from statements
    left join matches
        on statements.statement_id = matches.statement_id
    left join tables
        on
            matches.document_id = tables.document_id
            and matches.table_source_table = tables.source_table
            and matches.project_seq = tables.project_seq
    where statements.statement_kind = 'summary'
    group by all
),

summarised_documents as (
    select distinct document_id
    from statements
    where statement_kind = 'summary'
),

-- tables (first copies) of a document with a summary table: how many summary rows each
tables_summarised as (
    select
        'perf_table_in_summary' as rule_id,
        tables.document_id,
        tables.source_table || ':' || tables.source_line as scope,
        '{{ this.name }}' as evaluated_by,
        tables.source_table,
        tables.source_line,
        cast(null as varchar) as measure,
        tables.source_table || ' ' || coalesce(tables.project_name, '')
        || ' (A ' || {{ number_text('tables.adjusted_budget_wan') }}
        || ', B ' || {{ number_text('tables.executed_wan') }} || ', 总分 '
        || {{ number_text('tables.total_score_printed') }} || ')' as lhs_label,
        1 as lhs_value,
        'summary rows with its figures' as rhs_label,
        count(pairs.statement_id) filter (where pairs.statement_kind = 'summary') as rhs_value,
        cast(tables.source_line as varchar) as lhs_source_lines,
        {{ source_lines('pairs.statement_line', "pairs.statement_kind = 'summary'") }} as rhs_source_lines
    from tables
    inner join summarised_documents
        on tables.document_id = summarised_documents.document_id
    left join pairs
        on
            tables.document_id = pairs.document_id
            and tables.source_table = pairs.table_source_table
            and tables.project_seq = pairs.table_project_seq
    where tables.copy_seq = 1
    group by all
),

copies as (
    select
        'perf_table_printed_once' as rule_id,
        document_id,
        min(source_table || ':' || source_line) as scope,
        '{{ this.name }}' as evaluated_by,
        arg_min(source_table, source_table || ':' || source_line) as source_table,
        arg_min(source_line, source_table || ':' || source_line) as source_line,
        cast(null as varchar) as measure,
        min(source_table) || ' ' || coalesce(min(project_name), '') || ': copies printed' as lhs_label,
        count(*) as lhs_value,
        'one' as rhs_label,
        1 as rhs_value,
        {{ source_lines('source_line') }} as lhs_source_lines,
        cast(min(source_line) as varchar) as rhs_source_lines
    from tables
    group by document_id, content_key
),

{%- set amount_columns = [('initial', '年初预算数'), ('adjusted', '预算调整数 / A'), ('executed', '执行数 / B')] %}

amounts as (
    {%- for column, label in amount_columns %}
    {%- set table_column = 'executed_wan' if column == 'executed' else column ~ '_budget_wan' %}
    select
        'perf_summary_amounts' as rule_id,
        document_id,
        scope || ':{{ column }}' as scope,
        '{{ this.name }}' as evaluated_by,
        statement_table as source_table,
        cast(statement_line as integer) as source_line,
        '{{ column }}' as measure,
        statement_table || ' ' || statement_project || ' {{ label }}' as lhs_label,
        statement_{{ column }}_wan as lhs_value,
        table_label || ' {{ label }}' as rhs_label,
        {{ table_column }} as rhs_value,
        statement_line as lhs_source_lines,
        table_line as rhs_source_lines
    from pairs
    where statement_{{ column }}_wan is not null and {{ table_column }} is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

-- compare at the coarser of the two printed precisions; a table without a printed rate
-- is compared through B / A
rate_precision as (
    select
        *,
        case
            when execution_rate_ratio is not null then least(statement_rate_decimals, execution_rate_decimals)
            else statement_rate_decimals
        end as compared_decimals
    from pairs
    where statement_rate is not null
),

rates as (
    select
        'perf_summary_rate' as rule_id,
        document_id,
        scope,
        '{{ this.name }}' as evaluated_by,
        statement_table as source_table,
        cast(statement_line as integer) as source_line,
        cast(null as varchar) as measure,
        statement_table || ' ' || statement_project || ' 执行率 ' || statement_rate_printed
        || ' at ' || compared_decimals || ' decimals' as lhs_label,
        {{ round_half_up('statement_rate', 'compared_decimals') }} as lhs_value,
        case
            when execution_rate_ratio is not null
                then table_label || ' 执行率 ' || execution_rate_printed || ' at ' || compared_decimals || ' decimals'
            else table_label || ' B / A at ' || compared_decimals || ' decimals'
        end as rhs_label,
        case
            when execution_rate_ratio is not null then {{ round_half_up('execution_rate_ratio', 'compared_decimals') }}
            else {{ exact_ratio('executed_wan', 'adjusted_budget_wan', 'compared_decimals') }}
        end as rhs_value,
        statement_line as lhs_source_lines,
        table_line as rhs_source_lines
    from rate_precision
),

scores as (
    select
        'perf_summary_score' as rule_id,
        document_id,
        scope,
        '{{ this.name }}' as evaluated_by,
        statement_table as source_table,
        cast(statement_line as integer) as source_line,
        cast(null as varchar) as measure,
        statement_table || ' ' || statement_project || ' score' as lhs_label,
        statement_score as lhs_value,
        table_label || ' ' || table_score_label as rhs_label,
        table_score as rhs_value,
        statement_line as lhs_source_lines,
        table_line as rhs_source_lines
    from pairs
    where statement_score is not null and table_score is not null
),

indicator_scores as (
    select
        'perf_summary_indicator_score' as rule_id,
        document_id,
        scope,
        '{{ this.name }}' as evaluated_by,
        statement_table as source_table,
        cast(statement_line as integer) as source_line,
        cast(null as varchar) as measure,
        statement_table || ' ' || statement_project || ' 指标完成情况得分' as lhs_label,
        statement_indicator_score as lhs_value,
        table_label || ' Σ indicator 得分' as rhs_label,
        indicator_score_total as rhs_value,
        statement_line as lhs_source_lines,
        indicator_source_lines as rhs_source_lines
    from pairs
    where statement_indicator_score is not null and indicator_score_total is not null
),

grades as (
    select
        'perf_summary_grade' as rule_id,
        document_id,
        scope,
        '{{ this.name }}' as evaluated_by,
        statement_table as source_table,
        cast(statement_line as integer) as source_line,
        cast(null as varchar) as measure,
        statement_table || ' ' || statement_project || ' grade ' || statement_grade as lhs_label,
        {{ grade_rank('statement_grade') }} as lhs_value,
        table_label || ' band of ' || {{ number_text('table_score') }} || ': ' || {{ grade_for_score('table_score') }}
            as rhs_label,
        {{ grade_rank(grade_for_score('table_score')) }} as rhs_value,
        statement_line as lhs_source_lines,
        table_line as rhs_source_lines
    from pairs
    where statement_grade is not null and table_score is not null
),

initial_budget_rates as (
    select
        'perf_stated_rate_initial_budget' as rule_id,
        document_id,
        scope,
        '{{ this.name }}' as evaluated_by,
        statement_table as source_table,
        cast(statement_line as integer) as source_line,
        cast(null as varchar) as measure,
        statement_table || ' ' || statement_project || ' 执行率 ' || statement_rate_printed as lhs_label,
        statement_rate as lhs_value,
        table_label || ' 全年执行数 ' || {{ number_text('executed_wan') }} || ' / 年初预算数 '
        || {{ number_text('initial_budget_wan') }} || ' at ' || statement_rate_decimals || ' decimals' as rhs_label,
        {{ exact_ratio('executed_wan', 'initial_budget_wan', 'statement_rate_decimals') }} as rhs_value,
        statement_line as lhs_source_lines,
        table_line as rhs_source_lines
    from pairs
    where statement_kind = 'prose' and statement_rate is not null and initial_budget_wan <> 0
)

select * from summary_rows_matched
union all
select * from tables_summarised
union all
select * from copies
union all
select * from amounts
union all
select * from rates
union all
select * from scores
union all
select * from indicator_scores
union all
select * from grades
union all
select * from initial_budget_rates
