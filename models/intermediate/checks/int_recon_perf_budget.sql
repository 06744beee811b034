-- Budget block of each self-evaluation table (and each summary row printing A, B and a
-- rate): 执行率 = B / A at the printed precision, budget score = B / A × 分值 capped at
-- 分值, 年度资金总额 = 当年财政拨款 + 上年结转资金 + 其他资金 per column.
-- A check that needs A as a denominator is not evaluated when A = 0 (undefined).
with tables as (
    select * from {{ ref('int_perf_self_evaluations') }}
),

statements as (
    select * from {{ ref('int_perf_statements') }}
),

table_rates as (
    select
        'perf_rate_b_over_a' as rule_id,
        document_id,
        source_table || ':' || source_line as scope,
        '{{ this.name }}' as evaluated_by,
        source_table,
        source_line,
        cast(null as varchar) as measure,
        coalesce(project_name, '') || ' 执行率 as printed (' || execution_rate_printed || ')' as lhs_label,
        execution_rate_ratio as lhs_value,
        '全年执行数 ' || {{ number_text('executed_wan') }} || ' / 全年预算数 ' || {{ number_text('adjusted_budget_wan') }}
        || ', half-up to ' || execution_rate_decimals || ' decimals' as rhs_label,
        execution_rate_at_printed_precision as rhs_value,
        cast(source_line as varchar) as lhs_source_lines,
        cast(source_line as varchar) as rhs_source_lines
    from tables
    where execution_rate_ratio is not null and execution_rate_at_printed_precision is not null
),

summary_rates as (
    select
        'perf_rate_b_over_a' as rule_id,
        document_id,
        source_table || ':' || source_line as scope,
        '{{ this.name }}' as evaluated_by,
        source_table,
        source_line,
        cast(null as varchar) as measure,
        coalesce(project_name, '') || ' 执行率 as printed (' || execution_rate_printed || ')' as lhs_label,
        execution_rate_ratio as lhs_value,
        '执行数 ' || {{ number_text('executed_wan') }} || ' / 预算调整数 ' || {{ number_text('adjusted_budget_wan') }}
        || ', half-up to ' || execution_rate_decimals || ' decimals' as rhs_label,
        {{ exact_ratio('executed_wan', 'adjusted_budget_wan', 'execution_rate_decimals') }} as rhs_value,
        cast(source_line as varchar) as lhs_source_lines,
        cast(source_line as varchar) as rhs_source_lines
    from statements
    where
        statement_kind = 'summary'
        and execution_rate_ratio is not null
        and executed_wan is not null
        and adjusted_budget_wan <> 0
),

budget_scores as (
    select
        'perf_budget_score' as rule_id,
        document_id,
        source_table || ':' || source_line as scope,
        '{{ this.name }}' as evaluated_by,
        source_table,
        source_line,
        cast(null as varchar) as measure,
        coalesce(project_name, '') || ' 预算执行 得分 as printed' as lhs_label,
        budget_score_printed as lhs_value,
        'min(' || {{ number_text('executed_wan') }} || ' / ' || {{ number_text('adjusted_budget_wan') }}
        || ', 1) × 分值 ' || {{ number_text('budget_weight_used') }} as rhs_label,
        budget_score_computed as rhs_value,
        cast(source_line as varchar) as lhs_source_lines,
        cast(source_line as varchar) as rhs_source_lines
    from tables
    where budget_score_printed is not null and budget_score_computed is not null
),

{%- set columns = [('initial', '年初预算数'), ('adjusted', '全年预算数'), ('executed', '全年执行数')] %}

funding_columns as (
    {%- for column, label in columns %}
    select
        document_id,
        source_table,
        source_line,
        project_name,
        '{{ column }}' as value_column,
        '{{ label }}' as column_label,
        {{ 'executed_wan' if column == 'executed' else column ~ '_budget_wan' }} as total_wan,
        current_year_{{ column }}_wan as current_year_wan,
        carryover_{{ column }}_wan as carryover_wan,
        other_{{ column }}_wan as other_wan
    from tables
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

funding_split as (
    select
        'perf_funding_split' as rule_id,
        document_id,
        source_table || ':' || source_line || ':' || value_column as scope,
        '{{ this.name }}' as evaluated_by,
        source_table,
        source_line,
        value_column as measure,
        coalesce(project_name, '') || ' 年度资金总额 ' || column_label as lhs_label,
        total_wan as lhs_value,
        '当年财政拨款 + 上年结转资金 + 其他资金 (' || column_label || ')' as rhs_label,
        coalesce(current_year_wan, 0) + coalesce(carryover_wan, 0) + coalesce(other_wan, 0) as rhs_value,
        cast(source_line as varchar) as lhs_source_lines,
        cast(source_line as varchar) as rhs_source_lines
    from funding_columns
    where
        total_wan is not null
        and (current_year_wan is not null or carryover_wan is not null or other_wan is not null)
)

select * from table_rates
union all
select * from summary_rates
union all
select * from budget_scores
union all
select * from funding_split
