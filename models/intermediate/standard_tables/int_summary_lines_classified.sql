-- 公开01/04 lines with the role each plays in the balance identities, identified by
-- the normalised item name, never by 行次 (行次 differ between 公开01 and 公开04).
-- Lines that are not one of the named roles (e.g. the three 财政拨款 sub-lines printed
-- under 年初财政拨款结转和结余 in 公开04) are components: they never add to a total. A
-- numbered line printed below its side's carry-over line (the Shanghai template numbers
-- those sub-lines: 一、一般公共预算财政拨款) is such a component too, not a source or class.
-- The number of lines (24 or 26 classes, with or without 行次) does not matter.
with lines as (
    select * from {{ ref('stg_extract__income_expenditure_summary') }}
),

named as (
    select
        *,
        regexp_matches(coalesce(item_name, ''), '^(年初|年末).*结转.*结余$') as is_carryover_line
    from lines
),

positioned as (
    select
        *,
        -- a carry-over line printed above this one on the same side of the same table
        coalesce(bool_or(is_carryover_line) over (
            partition by document_id, source_table, side
            order by line_no
            rows between unbounded preceding and 1 preceding
        ), false) as below_carryover
    from named
),

classified as (
    select
        *,
        case
            when item_name is null then 'empty'
            when regexp_matches(item_name, '^[一二三四五六七八九十]+、') and below_carryover then 'component'
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
    from positioned
),

-- one row per amount column actually printed on that side of that table
unpivoted as (
    {%- for column in ['amount', 'general_budget', 'gov_fund', 'state_capital'] %}
    select
        document_id,
        source_table,
        table_kind,
        source_page,
        source_line,
        side,
        line_no,
        item_name,
        line_role,
        class_name,
        '{{ column }}' as value_column,
        {{ column }}_wan as value_wan,
        {{ half_unit(column ~ '_printed') }} as value_half_unit
    from classified
    {%- if column != 'amount' %}
    where table_kind = 'appropriation_summary' and side = 'expenditure'
    {%- endif %}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
)

select * from unpivoted
