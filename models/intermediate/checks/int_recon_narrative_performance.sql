-- Family narrative_performance: the narrative's self-evaluation statements against the
-- attachments. Each project paragraph restates one self-evaluation table and, where the
-- document prints a summary table, one summary row (int_narrative_project_matches); its
-- amounts, rate and score equal theirs. The coverage sentence (涵盖项目 N 个, 涉及预算资金,
-- N 个项目自评等级为优, N 个项目的绩效自评表) agrees with the paragraphs and the tables; a
-- stated evaluation score is one of the document's evaluation reports; and (warning) the
-- appropriation-funded 执行数 of the self-evaluated projects adds up to the tables' 项目支出.
-- Amounts and rates carry their rounding envelope (README "Rounding envelope"): half a
-- display unit of each figure as printed, and for a rate recomputed from B / A the ratio's
-- spread over their half units. Scores and the 其他资金 deduction keep a fixed tolerance:
-- their printed text is not kept on the table side, so their precision is unknown.
with figures as (
    select
        *,
        {{ figure_half_wan('value_printed', 'unit') }} as half_wan
    from {{ ref('stg_extract__narrative_figures') }}
    where metric_key is not null
),

-- half a display unit of each paragraph's amounts as printed
paragraph_halves as (
    select
        document_id,
        project_no,
        arg_min(half_wan, figure_seq) filter (where metric_measure = 'budget') as budget_half,
        arg_min(half_wan, figure_seq) filter (where metric_measure = 'executed') as executed_half
    from figures
    where project_no is not null
    group by document_id, project_no
),

-- and of the amounts of the table or summary row it restates
target_halves as (
    select
        document_id,
        'table' as target_kind,
        source_table as target_table,
        project_seq as target_seq,
        {{ half_unit('adjusted_budget_printed') }} * case amount_unit when '元' then 0.0001 else 1 end
            as budget_half,
        {{ half_unit('executed_printed') }} * case amount_unit when '元' then 0.0001 else 1 end as executed_half
    from {{ ref('stg_extract__self_evaluations') }}

    union all

    select
        document_id,
        'summary' as target_kind,
        source_table as target_table,
        row_seq as target_seq,
        {{ half_unit('adjusted_budget_printed') }} as budget_half,
        {{ half_unit('executed_printed') }} as executed_half
    from {{ ref('stg_extract__self_evaluation_summaries') }}
),

projects as (
    select * from {{ ref('int_narrative_projects') }}
),

matches as (
    select * from {{ ref('int_narrative_project_matches') }}
),

tables as (
    select * from {{ ref('int_perf_self_evaluations') }}
),

summary_documents as (
    select distinct document_id
    from {{ ref('stg_extract__self_evaluation_summaries') }}
),

cells as (
    select * from {{ ref('int_narrative_table_cells') }}
),

reports as (
    select * from {{ ref('stg_extract__evaluation_reports') }}
),

pairs as (
    select
        matches.*,
        '情况说明>' || matches.target_table || ':project.' || matches.project_no as pair_scope,
        matches.target_table || ' ' || matches.target_kind || ' ' || matches.target_seq || ' '
        || coalesce(matches.target_project_name, '') || ' (line ' || matches.target_line || ')' as target_label,
        paragraph_halves.budget_half,
        paragraph_halves.executed_half,
        target_halves.budget_half as target_budget_half,
        target_halves.executed_half as target_executed_half
    from matches
    left join paragraph_halves
        on matches.document_id = paragraph_halves.document_id and matches.project_no = paragraph_halves.project_no
    left join target_halves
        on
            matches.document_id = target_halves.document_id
            and matches.target_kind = target_halves.target_kind
            and matches.target_table = target_halves.target_table
            and matches.target_seq = target_halves.target_seq
    -- one row per pair, should a reprinted table repeat its project_seq (its copies print the same figures)
    qualify row_number() over (
        partition by matches.document_id, matches.project_no, matches.target_kind
        order by target_halves.budget_half nulls last
    ) = 1
),

-- each paragraph: one table, and one summary row where the document has a summary table
expected_targets as (
    select
        projects.document_id,
        projects.project_no,
        projects.source_line,
        kinds.target_kind
    from projects
    cross join (values ('table'), ('summary')) as kinds (target_kind)
    left join summary_documents
        on projects.document_id = summary_documents.document_id
    where kinds.target_kind = 'table' or summary_documents.document_id is not null
),

matched as (
    select
        'narr_perf_matched' as rule_id,
        expected_targets.document_id,
        '情况说明:project.' || expected_targets.project_no || ':' || expected_targets.target_kind as scope,
        '{{ this.name }}' as evaluated_by,
        '情况说明' as source_table,
        cast(null as integer) as source_line,
        cast(null as varchar) as measure,
        '情况说明 project ' || expected_targets.project_no || ' paragraph' as lhs_label,
        1 as lhs_value,
        case expected_targets.target_kind when 'table' then 'self-evaluation tables' else 'summary-table rows' end
        || ' with its figures'
        || coalesce(': ' || string_agg(pairs.target_label, '; '), '') as rhs_label,
        count(pairs.project_no) as rhs_value,
        cast(expected_targets.source_line as varchar) as lhs_source_lines,
        {{ source_lines('pairs.target_line') }} as rhs_source_lines,
        cast(null as decimal(18, 6)) as envelope
    from expected_targets
    left join pairs
        on
            expected_targets.document_id = pairs.document_id
            and expected_targets.project_no = pairs.project_no
            and expected_targets.target_kind = pairs.target_kind
    group by
        expected_targets.document_id, expected_targets.project_no, expected_targets.target_kind,
        expected_targets.source_line
),

amounts as (
    {%- for column, label, target_label in [('budget', '全年预算数', 'A'), ('executed', '执行数', 'B')] %}
    select
        'narr_perf_amounts' as rule_id,
        document_id,
        pair_scope || ':{{ column }}' as scope,
        '{{ this.name }}' as evaluated_by,
        '情况说明' as source_table,
        cast(null as integer) as source_line,
        cast(null as varchar) as measure,
        '情况说明 project ' || project_no || ' {{ label }}' as lhs_label,
        {{ column }}_wan as lhs_value,
        target_label || ' {{ target_label }}' as rhs_label,
        target_{{ column }}_wan as rhs_value,
        source_lines as lhs_source_lines,
        cast(target_line as varchar) as rhs_source_lines,
        {{ column }}_half + target_{{ column }}_half as envelope
    from pairs
    where {{ column }}_wan is not null and target_{{ column }}_wan is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

rates as (
    select
        'narr_perf_rate' as rule_id,
        document_id,
        pair_scope || ':rate' as scope,
        '{{ this.name }}' as evaluated_by,
        '情况说明' as source_table,
        cast(null as integer) as source_line,
        cast(null as varchar) as measure,
        '情况说明 project ' || project_no || ' 完成预算 ' || rate_printed as lhs_label,
        rate_ratio as lhs_value,
        target_label || case
            when target_budget_wan is not null and target_executed_wan is not null then ' B / A'
            else ' 执行率 ' || target_rate_printed
        end as rhs_label,
        case
            when target_budget_wan is not null and target_executed_wan is not null
                then {{ rate_as_compared('target_executed_wan', 'target_budget_wan', 'rate_ratio', 'rate_decimals') }}
            else target_rate_ratio
        end as rhs_value,
        source_lines as lhs_source_lines,
        cast(target_line as varchar) as rhs_source_lines,
        -- B / A: the rate's half unit and the ratio's spread; a printed rate: both half units
        case
            when target_budget_wan is not null and target_executed_wan is not null
                then {{ rate_envelope(
                    'target_executed_wan', 'target_executed_half', 'target_budget_wan', 'target_budget_half',
                    'rate_decimals'
                ) }}
            else cast(0.5 / pow(10, rate_decimals) + 0.5 / pow(10, target_rate_decimals) as decimal(18, 6))
        end as envelope
    from pairs
    where rate_ratio is not null and target_rate_compared is not null
),

scores as (
    select
        'narr_perf_score' as rule_id,
        document_id,
        pair_scope || ':score' as scope,
        '{{ this.name }}' as evaluated_by,
        '情况说明' as source_table,
        cast(null as integer) as source_line,
        cast(null as varchar) as measure,
        '情况说明 project ' || project_no || ' 自评得分' as lhs_label,
        score as lhs_value,
        target_label || ' score' as rhs_label,
        target_score as rhs_value,
        source_lines as lhs_source_lines,
        cast(target_line as varchar) as rhs_source_lines,
        cast(null as decimal(18, 6)) as envelope
    from pairs
    where score is not null and target_score is not null
),

-- ---------------------------------------------------------------- coverage sentence
paragraphs as (
    select
        projects.document_id,
        count(*) as paragraphs,
        sum(projects.budget_wan) as budget_wan,
        sum(paragraph_halves.budget_half) as budget_half,
        bool_or(budget_wan is null) as budget_missing,
        count(*) filter (where projects.score >= 90) as grade_excellent,
        count(*) filter (where projects.score >= 80 and projects.score < 90) as grade_good,
        count(*) filter (where projects.score >= 60 and projects.score < 80) as grade_fair,
        count(*) filter (where projects.score < 60) as grade_poor,
        {{ source_lines('projects.source_line') }} as paragraph_lines
    from projects
    left join paragraph_halves
        on projects.document_id = paragraph_halves.document_id and projects.project_no = paragraph_halves.project_no
    group by projects.document_id
),

distinct_tables as (
    select
        document_id,
        count(*) filter (where copy_seq = 1) as distinct_tables,
        count(*) as printed_tables,
        {{ source_lines('source_line', 'copy_seq = 1') }} as table_lines
    from tables
    group by document_id
),

coverage_figures as (
    select
        figures.*,
        paragraphs.paragraphs,
        paragraphs.budget_wan as paragraphs_budget_wan,
        paragraphs.budget_half as paragraphs_budget_half,
        paragraphs.budget_missing,
        paragraphs.paragraph_lines,
        case figures.metric_measure
            when 'grade_excellent_count' then paragraphs.grade_excellent
            when 'grade_good_count' then paragraphs.grade_good
            when 'grade_fair_count' then paragraphs.grade_fair
            when 'grade_poor_count' then paragraphs.grade_poor
        end as graded,
        distinct_tables.distinct_tables,
        distinct_tables.printed_tables,
        distinct_tables.table_lines
    from figures
    left join paragraphs
        on figures.document_id = paragraphs.document_id
    left join distinct_tables
        on figures.document_id = distinct_tables.document_id
    where figures.metric_subject = 'self_evaluation'
),

coverage as (
    select
        case
            when metric_measure = 'project_count' then 'narr_perf_coverage_count'
            when metric_measure = 'budget' then 'narr_perf_coverage_budget'
            when metric_measure like 'grade_%_count' then 'narr_perf_grade_counts'
            else 'narr_perf_table_count'
        end as rule_id,
        document_id,
        '情况说明:' || metric_key || ':#' || figure_seq as scope,
        '{{ this.name }}' as evaluated_by,
        '情况说明' as source_table,
        cast(null as integer) as source_line,
        cast(null as varchar) as measure,
        '情况说明 ' || metric_key || ' ' || value_printed || coalesce(unit, '') as lhs_label,
        case when metric_measure = 'budget' then value_wan else value end as lhs_value,
        case
            when metric_measure = 'project_count' then '情况说明 project paragraphs'
            when metric_measure = 'budget'
                then
                    'Σ 情况说明 project 全年预算数 of '
                    || coalesce(cast(paragraphs as varchar), '0') || ' paragraphs'
            when
                metric_measure like 'grade_%_count'
                then '情况说明 project paragraphs scoring in the band (优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60)'
            else 'self-evaluation tables printed, reprints counted once (' || coalesce(printed_tables, 0) || ' printed)'
        end as rhs_label,
        -- a document that describes no project (no paragraph, no self-evaluation table:
        -- the Shanghai template states only the counts) gives nothing to count against
        case
            when coalesce(paragraphs, 0) = 0 and coalesce(distinct_tables, 0) = 0 then null
            when metric_measure = 'project_count' then coalesce(paragraphs, 0)
            when metric_measure = 'budget' then case when not budget_missing then paragraphs_budget_wan end
            when metric_measure like 'grade_%_count' then coalesce(graded, 0)
            else coalesce(distinct_tables, 0)
        end as rhs_value,
        cast(source_line as varchar) as lhs_source_lines,
        case when metric_measure = 'table_count' then table_lines else paragraph_lines end as rhs_source_lines,
        case when metric_measure = 'budget' then half_wan + paragraphs_budget_half end as envelope
    from coverage_figures
    where metric_measure in ('project_count', 'budget', 'table_count') or metric_measure like 'grade_%_count'
),

-- ---------------------------------------------------------------- evaluation results
-- a stated evaluation score (部门评价 / 财政评价) is the total of one of the document's
-- evaluation reports: the report closest to it is the one it names
evaluation_scores as (
    select
        'narr_perf_evaluation_score' as rule_id,
        figures.document_id,
        '情况说明:' || figures.metric_key || ':#' || figures.figure_seq as scope,
        '{{ this.name }}' as evaluated_by,
        '情况说明' as source_table,
        cast(null as integer) as source_line,
        cast(null as varchar) as measure,
        '情况说明 ' || figures.metric_key || ' ' || figures.value_printed || coalesce(figures.unit, '') as lhs_label,
        figures.value as lhs_value,
        coalesce(
            'evaluation report ' || reports.report_seq || ' ' || coalesce(reports.title, '') || ' 总分',
            '(no evaluation report with a total score)'
        ) as rhs_label,
        reports.total_score as rhs_value,
        cast(figures.source_line as varchar) as lhs_source_lines,
        cast(reports.total_score_line as varchar) as rhs_source_lines,
        cast(null as decimal(18, 6)) as envelope
    from figures
    left join reports
        on figures.document_id = reports.document_id and reports.total_score is not null
    where figures.metric_family = 'performance' and figures.metric_measure = 'score' and figures.project_no is null
    qualify row_number() over (
        partition by figures.document_id, figures.figure_seq
        order by abs(reports.total_score - figures.value) nulls last, reports.report_seq
    ) = 1
),

-- ---------------------------------------------------------------- against the tables
-- the self-evaluated projects' 执行数 less what their table says came from 其他资金 (a
-- paragraph without a table counts in full) against the appropriation-funded project
-- spending of the tables: 公开05 + 公开07 + 公开08 项目支出 (= 公开03 项目支出 when all money
-- is appropriation; a 公开07 / 公开08 not printed counts 0). Holds only when every
-- appropriation-funded project of the year is self-evaluated and nothing else is
-- (transfers to districts, projects not evaluated): a warning.
appropriation_executed as (
    select
        projects.document_id,
        sum(projects.executed_wan - coalesce(pairs.target_other_executed_wan, 0)) as executed_wan,
        bool_or(projects.executed_wan is null) as executed_missing,
        count(*) as paragraphs,
        sum(coalesce(pairs.target_other_executed_wan, 0)) as other_wan,
        {{ source_lines('projects.source_line') }} as paragraph_lines
    from projects
    left join pairs
        on
            projects.document_id = pairs.document_id
            and projects.project_no = pairs.project_no
            and pairs.target_kind = 'table'
    group by projects.document_id
),

project_spending as (
    select
        document_id,
        max(value_wan) filter (where cell_ref = '公开05:合计:project') as general_budget_wan,
        coalesce(max(value_wan) filter (where cell_ref = '公开07:合计:expenditure_project'), 0) as gov_fund_wan,
        coalesce(max(value_wan) filter (where cell_ref = '公开08:合计:project'), 0) as state_capital_wan,
        {{ merge_lines(["string_agg(source_lines, ',')"]) }} as spending_lines
    from cells
    where cell_ref in ('公开05:合计:project', '公开07:合计:expenditure_project', '公开08:合计:project')
    group by document_id
),

executed_vs_project_spending as (
    select
        'narr_perf_executed_vs_project_spending' as rule_id,
        appropriation_executed.document_id,
        '情况说明>公开05:performance.project.*.executed' as scope,
        '{{ this.name }}' as evaluated_by,
        '情况说明' as source_table,
        cast(null as integer) as source_line,
        cast(null as varchar) as measure,
        'Σ 情况说明 执行数 of ' || appropriation_executed.paragraphs || ' self-evaluated projects less 其他资金 '
        || {{ number_text('appropriation_executed.other_wan') }} as lhs_label,
        case when not appropriation_executed.executed_missing then appropriation_executed.executed_wan end
            as lhs_value,
        '项目支出 公开05 ' || coalesce({{ number_text('project_spending.general_budget_wan') }}, '(not printed)')
        || ' + 公开07 ' || {{ number_text('coalesce(project_spending.gov_fund_wan, 0)') }}
        || ' + 公开08 ' || {{ number_text('coalesce(project_spending.state_capital_wan, 0)') }} as rhs_label,
        project_spending.general_budget_wan + project_spending.gov_fund_wan + project_spending.state_capital_wan
            as rhs_value,
        appropriation_executed.paragraph_lines as lhs_source_lines,
        project_spending.spending_lines as rhs_source_lines,
        cast(null as decimal(18, 6)) as envelope
    from appropriation_executed
    left join project_spending
        on appropriation_executed.document_id = project_spending.document_id
)

select
    *,
    cast(null as varchar) as not_evaluable_reason
from matched
union all
select
    *,
    cast(null as varchar) as not_evaluable_reason
from amounts
union all
select
    *,
    cast(null as varchar) as not_evaluable_reason
from rates
union all
select
    *,
    cast(null as varchar) as not_evaluable_reason
from scores
union all
select
    *,
    cast(null as varchar) as not_evaluable_reason
from coverage
union all
select
    *,
    cast(null as varchar) as not_evaluable_reason
from evaluation_scores
union all
select
    *,
    cast(null as varchar) as not_evaluable_reason
from executed_vs_project_spending
