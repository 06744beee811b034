-- 公开09 "三公" identities, and its actuals against the matching 公开06 economic codes.
with cells as (
    select
        *,
        {{ half_unit('amount_printed') }} as half_unit
    from {{ ref('stg_extract__three_public_expenses') }}
),

economic as (
    select * from {{ ref('stg_extract__basic_expenditure_by_economic') }}
),

phases as (
    select
        document_id,
        source_table,
        phase,
        min(source_line) as source_line,
        {{ source_refs('source_line', 'source_page') }} as source_lines,
        max(amount_wan) filter (where expense_item = 'total') as total_wan,
        max(amount_wan) filter (where expense_item = 'overseas_travel') as overseas_travel_wan,
        max(amount_wan) filter (where expense_item = 'vehicles') as vehicles_wan,
        max(amount_wan) filter (where expense_item = 'vehicle_purchase') as vehicle_purchase_wan,
        max(amount_wan) filter (where expense_item = 'vehicle_operation') as vehicle_operation_wan,
        max(amount_wan) filter (where expense_item = 'official_reception') as official_reception_wan,
        coalesce(sum(half_unit) filter (where expense_item = 'total'), 0) as total_half_unit,
        coalesce(sum(half_unit) filter (where expense_item = 'overseas_travel'), 0) as overseas_travel_half_unit,
        coalesce(sum(half_unit) filter (where expense_item = 'vehicles'), 0) as vehicles_half_unit,
        coalesce(sum(half_unit) filter (where expense_item = 'vehicle_purchase'), 0) as vehicle_purchase_half_unit,
        coalesce(sum(half_unit) filter (where expense_item = 'vehicle_operation'), 0) as vehicle_operation_half_unit,
        coalesce(sum(half_unit) filter (where expense_item = 'official_reception'), 0) as official_reception_half_unit
    from cells
    group by document_id, source_table, phase
),

total_items as (
    select
        'three_public_total_items' as rule_id,
        document_id,
        source_table || ':' || phase as scope,
        '{{ this.name }}' as evaluated_by,
        source_table,
        source_line,
        phase as measure,
        source_table || ' ' || phase || ' 合计' as lhs_label,
        total_wan as lhs_value,
        source_table || ' ' || phase || ' 因公出国(境)费 + 公务用车购置及运行维护费 + 公务接待费' as rhs_label,
        overseas_travel_wan + vehicles_wan + official_reception_wan as rhs_value,
        source_lines as lhs_source_lines,
        source_lines as rhs_source_lines,
        total_half_unit + overseas_travel_half_unit + vehicles_half_unit + official_reception_half_unit as envelope,
        cast(null as varchar) as not_evaluable_reason
    from phases
),

vehicles_parts as (
    select
        'three_public_vehicles_parts' as rule_id,
        document_id,
        source_table || ':' || phase as scope,
        '{{ this.name }}' as evaluated_by,
        source_table,
        source_line,
        phase as measure,
        source_table || ' ' || phase || ' 公务用车购置及运行维护费 小计' as lhs_label,
        vehicles_wan as lhs_value,
        source_table || ' ' || phase || ' 公务用车购置费 + 公务用车运行维护费' as rhs_label,
        vehicle_purchase_wan + vehicle_operation_wan as rhs_value,
        source_lines as lhs_source_lines,
        source_lines as rhs_source_lines,
        vehicles_half_unit + vehicle_purchase_half_unit + vehicle_operation_half_unit as envelope,
        cast(null as varchar) as not_evaluable_reason
    from phases
),

-- national mapping of the 三公 items onto 经济分类 款, each bound by its exact code and
-- its name: 公开06 is basic expenditure from 一般公共预算 only, 公开09 all 财政拨款, so the
-- relation is containment (公开06 item <= 公开09 actual), never equality
item_codes (expense_item, economic_code, name_pattern) as (
    values
    ('overseas_travel', '30212', '%因公出国%'),
    ('official_reception', '30217', '%公务接待%'),
    ('vehicle_operation', '30231', '%公务用车运行维护%'),
    ('vehicle_purchase', '31013', '%公务用车购置%')
),

economic_documents as (
    select distinct document_id from economic
),

-- lhs: the 公开06 item (a code not printed in a printed 公开06: no basic expenditure on
-- it, 0); rhs: the smaller of the item and the 三公 actual, so the difference is the part
-- of the item the 三公 actual does not cover. Not evaluable: no 公开06 or no 三公 cell
-- (side_not_printed), the code printed under another name (unresolved), a 三公 cell
-- printed blank against a non-zero item (blank_one_sided: a blank never fails a
-- containment check).
item_pairs as (
    select
        cells.document_id,
        cells.source_table,
        cells.source_page,
        cells.source_line,
        cells.expense_item,
        item_codes.economic_code,
        cells.amount_wan as three_public_wan,
        {{ strip_amount_text('cells.amount_printed') }} = '' as three_public_blank,
        cells.half_unit as three_public_half_unit,
        economic.economic_name,
        economic.source_page as economic_page,
        economic.source_line as economic_line,
        economic_documents.document_id is not null as economic_printed,
        economic.document_id is not null as code_printed,
        coalesce(economic.economic_name like item_codes.name_pattern, false) as name_matches,
        case
            when economic.document_id is not null then economic.amount_wan
            when economic_documents.document_id is not null then 0
        end as item_wan,
        coalesce({{ half_unit('economic.amount_printed') }}, 0) as item_half_unit
    from cells
    inner join item_codes
        on cells.expense_item = item_codes.expense_item
    left join economic
        on
            cells.document_id = economic.document_id
            and item_codes.economic_code = economic.economic_code
    left join economic_documents
        on cells.document_id = economic_documents.document_id
    where cells.phase = 'actual'
),

item_outcomes as (
    select
        *,
        case
            when not economic_printed or three_public_wan is null or item_wan is null then 'side_not_printed'
            when code_printed and not name_matches then 'unresolved'
            when three_public_blank and item_wan > 0 then 'blank_one_sided'
        end as not_evaluable_reason
    from item_pairs
),

actual_vs_economic as (
    select
        'three_public_actual_vs_economic' as rule_id,
        document_id,
        source_table || ':actual:' || expense_item as scope,
        '{{ this.name }}' as evaluated_by,
        '公开06' as source_table,
        economic_line as source_line,
        expense_item as measure,
        '公开06 ' || economic_code
        || coalesce(' ' || economic_name, case when economic_printed then ' (not printed: 0)' else ' (no 公开06)' end)
        || ' (基本支出, 一般公共预算)' as lhs_label,
        item_wan as lhs_value,
        'min(公开06 item, ' || source_table || ' 决算数 ' || expense_item
        || case when three_public_blank then ' (printed blank)' else '' end || ' (全部财政拨款))' as rhs_label,
        case
            when not_evaluable_reason is null then least(item_wan, three_public_wan)
        end as rhs_value,
        {{ source_ref('economic_line', 'economic_page') }} as lhs_source_lines,
        {{ source_ref('source_line', 'source_page') }} as rhs_source_lines,
        item_half_unit + three_public_half_unit as envelope,
        not_evaluable_reason
    from item_outcomes
)

select * from total_items
union all
select * from vehicles_parts
union all
select * from actual_vs_economic
