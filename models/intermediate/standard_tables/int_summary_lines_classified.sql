-- 公开01/04 lines with the role each plays in the balance identities, identified by
-- the normalised item name, never by 行次 (行次 differ between 公开01 and 公开04).
-- Lines that are not one of the named roles (e.g. the three 财政拨款 sub-lines printed
-- under 年初财政拨款结转和结余 in 公开04) are components: they never add to a total.
with lines as (
    select * from {{ ref('stg_extract__income_expenditure_summary') }}
),

classified as (
    select
        *,
        case
            when item_name is null then 'empty'
            when regexp_matches(item_name, '^[一二三四五六七八九十]+、') then 'numbered'
            when item_name in ('本年收入合计', '本年支出合计') then 'current_total'
            when item_name like '使用非财政拨款结余%' then 'non_fiscal_balance_used'
            when item_name = '结余分配' then 'balance_distribution'
            when regexp_matches(item_name, '^年初.*结转.*结余$') then 'carryover_begin'
            when regexp_matches(item_name, '^年末.*结转.*结余$') then 'carryover_end'
            when item_name = '总计' then 'grand_total'
            else 'component'
        end as line_role,
        -- "十四、资源勘探工业信息等支出" -> the 类 subject name it stands for
        regexp_replace(item_name, '^[一二三四五六七八九十]+、', '') as class_name
    from lines
),

-- one row per amount column actually printed on that side of that table
unpivoted as (
    {%- for column in ['amount', 'general_budget', 'gov_fund', 'state_capital'] %}
    select
        document_id,
        source_table,
        source_line,
        side,
        line_no,
        item_name,
        line_role,
        class_name,
        '{{ column }}' as value_column,
        {{ column }}_wan as value_wan
    from classified
    {%- if column != 'amount' %}
    where source_table = '公开04' and side = 'expenditure'
    {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from unpivoted
