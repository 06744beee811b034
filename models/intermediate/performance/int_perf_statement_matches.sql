-- Which self-evaluation table each statement summarises. Prose belongs to its own
-- report's table. A summary row is matched by its figures, never by name alone (eight
-- Jinan tables are all called 信息技术发展资金): for every pair in a document, each
-- figure printed on both sides (年初, A, B within 0.01 万元; the rate at the summary's
-- precision; the score) agrees or disagrees; a pair is a candidate when more figures agree
-- than disagree, and a row keeps its best-fitting candidates. Rows whose candidates are
-- the same tables (identical figures) are paired with them in printed order. A reprinted
-- table takes part once (its first copy).
with statements as (
    select * from {{ ref('int_perf_statements') }}
),

tables as (
    select * from {{ ref('int_perf_self_evaluations') }}
    where copy_seq = 1
),

pairs as (
    select
        statements.statement_id,
        statements.document_id,
        statements.row_seq,
        tables.source_table as table_source_table,
        tables.project_seq,
        case
            when statements.initial_budget_wan is not null and tables.initial_budget_wan is not null
                then abs(statements.initial_budget_wan - tables.initial_budget_wan) <= 0.01
        end as agree_initial,
        case
            when statements.adjusted_budget_wan is not null and tables.adjusted_budget_wan is not null
                then abs(statements.adjusted_budget_wan - tables.adjusted_budget_wan) <= 0.01
        end as agree_adjusted,
        case
            when statements.executed_wan is not null and tables.executed_wan is not null
                then abs(statements.executed_wan - tables.executed_wan) <= 0.01
        end as agree_executed,
        statements.execution_rate_ratio = {{ exact_ratio(
            'tables.executed_wan', 'tables.adjusted_budget_wan', 'statements.execution_rate_decimals'
        ) }} as agree_rate,
        statements.total_score = coalesce(tables.total_score_printed, tables.total_score_computed) as agree_score
    from statements
    inner join tables
        on statements.document_id = tables.document_id
    where statements.statement_kind = 'summary'
),

fitted as (
    select
        *,
        coalesce(cast(agree_initial as integer), 0) + coalesce(cast(agree_adjusted as integer), 0)
        + coalesce(cast(agree_executed as integer), 0) + coalesce(cast(agree_rate as integer), 0)
        + coalesce(cast(agree_score as integer), 0) as agreements,
        coalesce(cast(not agree_initial as integer), 0) + coalesce(cast(not agree_adjusted as integer), 0)
        + coalesce(cast(not agree_executed as integer), 0) + coalesce(cast(not agree_rate as integer), 0)
        + coalesce(cast(not agree_score as integer), 0) as disagreements
    from pairs
),

best as (
    select *
    from fitted
    where agreements > disagreements
    qualify agreements - disagreements = max(agreements - disagreements) over (partition by statement_id)
),

candidate_sets as (
    select
        statement_id,
        string_agg(table_source_table || '#' || project_seq, ',' order by table_source_table, project_seq)
            as candidate_set
    from best
    group by statement_id
),

ranked as (
    select
        best.*,
        candidate_sets.candidate_set,
        dense_rank() over (
            partition by best.document_id, candidate_sets.candidate_set order by best.row_seq
        ) as statement_rank,
        row_number() over (
            partition by best.statement_id order by best.table_source_table, best.project_seq
        ) as table_rank
    from best
    inner join candidate_sets
        on best.statement_id = candidate_sets.statement_id
),

summary_matches as (
    select
        statement_id,
        document_id,
        table_source_table,
        project_seq,
        'figures' as match_basis,
        agreements,
        disagreements
    from ranked
    where statement_rank = table_rank
),

prose_matches as (
    select
        statement_id,
        document_id,
        own_source_table as table_source_table,
        own_project_seq as project_seq,
        'same_report' as match_basis,
        cast(null as integer) as agreements,
        cast(null as integer) as disagreements
    from statements
    where statement_kind = 'prose'
)

select * from summary_matches
union all
select * from prose_matches
