-- Every 支出功能分类 code printed in any function-coded table. Names can differ in
-- punctuation between documents, so the most frequent printed (normalised) name wins.
with codes as (
    select
        subject_code,
        subject_name
    from {{ ref('stg_extract__income_by_function') }}
    where subject_code is not null
    union all
    select
        subject_code,
        subject_name
    from {{ ref('stg_extract__expenditure_by_function') }}
    where subject_code is not null
    union all
    select
        subject_code,
        subject_name
    from {{ ref('stg_extract__government_fund_by_function') }}
    where subject_code is not null
),

named as (
    select
        subject_code,
        subject_name,
        row_number() over (
            partition by subject_code order by count(*) desc, subject_name
        ) as name_rank
    from codes
    group by subject_code, subject_name
)

select
    subject_code,
    subject_name,
    {{ function_subject_level('subject_code') }} as subject_level,
    left(subject_code, 3) as class_code,
    {{ function_parent_code('subject_code') }} as parent_code
from named
where name_rank = 1
