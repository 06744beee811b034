-- What the narrative (十三、预算绩效情况说明) states about each self-evaluated project, one row
-- per printed project paragraph (performance.project.<n>): 自评得分, 全年预算数, 执行数 and
-- 完成预算的 % (as a ratio, with the precision printed).
with figures as (
    select * from {{ ref('stg_extract__narrative_figures') }}
    where project_no is not null
)

select
    document_id,
    project_no,
    arg_min(value, figure_seq) filter (where metric_measure = 'score') as score,
    arg_min(value_wan, figure_seq) filter (where metric_measure = 'budget') as budget_wan,
    arg_min(value_wan, figure_seq) filter (where metric_measure = 'executed') as executed_wan,
    arg_min(value_printed || '%', figure_seq) filter (where metric_measure = 'rate') as rate_printed,
    arg_min(value_ratio, figure_seq) filter (where metric_measure = 'rate') as rate_ratio,
    arg_min(ratio_decimals, figure_seq) filter (where metric_measure = 'rate') as rate_decimals,
    min(source_line) as source_line,
    {{ source_lines('source_line') }} as source_lines
from figures
group by document_id, project_no
