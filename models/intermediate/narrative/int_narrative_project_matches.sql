-- Which self-evaluation table and which summary-table row each project paragraph of the
-- narrative restates, matched by figures as in int_perf_statement_matches, never by name
-- (the narrative prints no table number, and names repeat): for every pair in a document,
-- each figure printed on both sides (全年预算数 vs A and 执行数 vs B within 0.01 万元; the rate
-- vs B / A at the narrative's precision, or vs the printed rate at the coarser precision
-- where the target prints no amounts; the score) agrees or disagrees; a pair is a candidate
-- when more figures agree than disagree, and a paragraph keeps its best-fitting candidates.
-- Paragraphs whose candidates are the same targets (identical figures) take them in printed
-- order. A reprinted table takes part once (its first copy).
with projects as (
    select * from {{ ref('int_narrative_projects') }}
),

targets as (
    select
        document_id,
        'table' as target_kind,
        source_table as target_table,
        project_seq as target_seq,
        source_line as target_line,
        project_name,
        adjusted_budget_wan as budget_wan,
        executed_wan,
        execution_rate_printed as rate_printed,
        execution_rate_ratio as rate_ratio,
        execution_rate_decimals as rate_decimals,
        coalesce(total_score_printed, total_score_computed) as score,
        coalesce(other_executed_wan, 0) as other_executed_wan
    from {{ ref('int_perf_self_evaluations') }}
    where copy_seq = 1

    union all

    select
        document_id,
        'summary' as target_kind,
        source_table as target_table,
        row_seq as target_seq,
        source_line as target_line,
        project_name,
        adjusted_budget_wan as budget_wan,
        executed_wan,
        execution_rate_printed as rate_printed,
        execution_rate_ratio as rate_ratio,
        execution_rate_decimals as rate_decimals,
        score,
        cast(null as decimal(18, 6)) as other_executed_wan
    from {{ ref('stg_extract__self_evaluation_summaries') }}
),

pairs as (
    select
        projects.document_id,
        projects.project_no,
        projects.source_line,
        projects.source_lines,
        projects.score,
        projects.budget_wan,
        projects.executed_wan,
        projects.rate_printed,
        projects.rate_ratio,
        projects.rate_decimals,
        targets.target_kind,
        targets.target_table,
        targets.target_seq,
        targets.target_line,
        targets.project_name as target_project_name,
        targets.budget_wan as target_budget_wan,
        targets.executed_wan as target_executed_wan,
        targets.rate_printed as target_rate_printed,
        targets.rate_ratio as target_rate_ratio,
        targets.rate_decimals as target_rate_decimals,
        targets.score as target_score,
        targets.other_executed_wan as target_other_executed_wan,
        -- the target's rate at the narrative's precision: B / A where it prints both,
        -- else its printed rate (both rounded to the coarser of the two precisions)
        case
            when targets.budget_wan is not null and targets.executed_wan is not null
                then {{ exact_ratio('targets.executed_wan', 'targets.budget_wan', 'projects.rate_decimals') }}
            when targets.rate_ratio is not null
                then {{ round_half_up('targets.rate_ratio', 'least(projects.rate_decimals, targets.rate_decimals)') }}
        end as target_rate_compared,
        case
            when targets.budget_wan is not null and targets.executed_wan is not null then projects.rate_decimals
            else least(projects.rate_decimals, targets.rate_decimals)
        end as rate_compared_decimals,
        case
            when projects.budget_wan is not null and targets.budget_wan is not null
                then abs(projects.budget_wan - targets.budget_wan) <= 0.01
        end as agree_budget,
        case
            when projects.executed_wan is not null and targets.executed_wan is not null
                then abs(projects.executed_wan - targets.executed_wan) <= 0.01
        end as agree_executed,
        case
            when projects.score is not null and targets.score is not null then projects.score = targets.score
        end as agree_score
    from projects
    inner join targets
        on projects.document_id = targets.document_id
),

fitted as (
    select
        *,
        {{ round_half_up('rate_ratio', 'rate_compared_decimals') }} as rate_compared,
        case
            when rate_ratio is not null and target_rate_compared is not null
                then {{ round_half_up('rate_ratio', 'rate_compared_decimals') }} = target_rate_compared
        end as agree_rate
    from pairs
),

scored as (
    select
        *,
        coalesce(cast(agree_budget as integer), 0) + coalesce(cast(agree_executed as integer), 0)
        + coalesce(cast(agree_rate as integer), 0) + coalesce(cast(agree_score as integer), 0) as agreements,
        coalesce(cast(not agree_budget as integer), 0) + coalesce(cast(not agree_executed as integer), 0)
        + coalesce(cast(not agree_rate as integer), 0) + coalesce(cast(not agree_score as integer), 0)
            as disagreements
    from fitted
),

best as (
    select *
    from scored
    where agreements > disagreements
    qualify agreements - disagreements = max(agreements - disagreements) over (
        partition by document_id, project_no, target_kind
    )
),

candidate_sets as (
    select
        document_id,
        project_no,
        target_kind,
        string_agg(target_table || '#' || target_seq, ',' order by target_line) as candidate_set
    from best
    group by document_id, project_no, target_kind
),

ranked as (
    select
        best.*,
        dense_rank() over (
            partition by best.document_id, best.target_kind, candidate_sets.candidate_set order by best.project_no
        ) as project_rank,
        row_number() over (
            partition by best.document_id, best.project_no, best.target_kind order by best.target_line
        ) as target_rank
    from best
    inner join candidate_sets
        on
            best.document_id = candidate_sets.document_id
            and best.project_no = candidate_sets.project_no
            and best.target_kind = candidate_sets.target_kind
)

select * exclude (project_rank, target_rank)
from ranked
where project_rank = target_rank
