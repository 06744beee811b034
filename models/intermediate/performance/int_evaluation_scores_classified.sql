-- First-level dimensions of the evaluation reports with the figure their breakdown adds:
-- the printed 得分, or for a prose line printing one figure per dimension ("（一）项目决策
-- 20 分，具体得分情况如下") that figure, which is the points obtained (such breakdowns add
-- up to the report's total, inventory §3 D34; the extractor files it under max_score,
-- here it moves to breakdown_points and max_score stays null).
with scores as (
    select * from {{ ref('stg_extract__evaluation_scores') }}
)

select
    document_id,
    source_line,
    report_seq,
    dimension_seq,
    dimension,
    max_score_printed,
    -- a prose line's one figure is the score obtained, not a maximum
    case when not (presentation = 'prose' and score is null) then max_score end as max_score,
    score_printed,
    score,
    presentation,
    coalesce(score, case when presentation = 'prose' then max_score end) as breakdown_points
from scores
