-- First-level score breakdown of each evaluation report, one row per dimension.
with scores as (
    select * from {{ ref('int_evaluation_scores_classified') }}
)

select
    {{ surrogate_key(['document_id', 'report_seq', 'dimension_seq']) }} as evaluation_score_id,
    document_id,
    report_seq,
    dimension_seq,
    dimension,
    presentation,
    max_score_printed as max_score_text,
    cast(max_score as decimal(18, 2)) as max_score,
    score_printed as score_text,
    cast(score as decimal(18, 2)) as score,
    cast(breakdown_points as decimal(18, 2)) as breakdown_points,
    source_line
from scores
