-- First-level score breakdown of an evaluation report ("10分", "14.00%" -> points).
with source as (
    select * from {{ raw_table('raw_evaluation_scores') }}
)

select
    document_id,
    cast(source_line as integer) as source_line,
    cast(report_seq as integer) as report_seq,
    cast(dimension_seq as integer) as dimension_seq,
    {{ normalise_name('dimension') }} as dimension,
    nullif(trim(max_score), '') as max_score_printed,
    {{ parse_points('max_score') }} as max_score,
    nullif(trim(score), '') as score_printed,
    {{ parse_points('score') }} as score,
    presentation
from source
