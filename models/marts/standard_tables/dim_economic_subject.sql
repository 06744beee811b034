-- Every 经济分类 code printed in 公开06; most frequent printed name wins.
with codes as (
    select
        economic_code,
        economic_name
    from {{ ref('stg_extract__basic_expenditure_by_economic') }}
    where economic_code is not null
),

named as (
    select
        economic_code,
        economic_name,
        row_number() over (
            partition by economic_code order by count(*) desc, economic_name
        ) as name_rank
    from codes
    group by economic_code, economic_name
)

select
    economic_code,
    economic_name,
    {{ economic_level('economic_code') }} as economic_level,
    {{ economic_parent_code('economic_code') }} as parent_code,
    {{ economic_expense_category('economic_code') }} as expense_category
from named
where name_rank = 1
