-- 公开09 "三公" identities, and its actuals against the matching 公开06 economic codes.
with cells as (
    select * from {{ ref('stg_extract__three_public_expenses') }}
),

economic as (
    select * from {{ ref('stg_extract__basic_expenditure_by_economic') }}
),

phases as (
    select
        document_id,
        source_table,
        phase,
        cast(min(source_line) as varchar) as source_lines,
        max(amount_wan) filter (where expense_item = 'total') as total_wan,
        max(amount_wan) filter (where expense_item = 'overseas_travel') as overseas_travel_wan,
        max(amount_wan) filter (where expense_item = 'vehicles') as vehicles_wan,
        max(amount_wan) filter (where expense_item = 'vehicle_purchase') as vehicle_purchase_wan,
        max(amount_wan) filter (where expense_item = 'vehicle_operation') as vehicle_operation_wan,
        max(amount_wan) filter (where expense_item = 'official_reception') as official_reception_wan
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
        try_cast(source_lines as integer) as source_line,
        phase as measure,
        source_table || ' ' || phase || ' 合计' as lhs_label,
        total_wan as lhs_value,
        '因公出国(境)费 + 公务用车购置及运行维护费 + 公务接待费' as rhs_label,
        overseas_travel_wan + vehicles_wan + official_reception_wan as rhs_value,
        source_lines as lhs_source_lines,
        source_lines as rhs_source_lines
    from phases
),

vehicles_parts as (
    select
        'three_public_vehicles_parts' as rule_id,
        document_id,
        source_table || ':' || phase as scope,
        '{{ this.name }}' as evaluated_by,
        source_table,
        try_cast(source_lines as integer) as source_line,
        phase as measure,
        source_table || ' ' || phase || ' 公务用车购置及运行维护费 小计' as lhs_label,
        vehicles_wan as lhs_value,
        '公务用车购置费 + 公务用车运行维护费' as rhs_label,
        vehicle_purchase_wan + vehicle_operation_wan as rhs_value,
        source_lines as lhs_source_lines,
        source_lines as rhs_source_lines
    from phases
),

-- national mapping of the 三公 items onto 经济分类 款 (basic expenditure share only)
item_codes (expense_item, economic_code) as (
    values
    ('overseas_travel', '30212'),
    ('official_reception', '30217'),
    ('vehicle_operation', '30231'),
    ('vehicle_purchase', '31013')
),

economic_documents as (
    select distinct document_id from economic
),

-- a code not printed in a 公开06 means no basic expenditure on it (0); no 公开06 at
-- all means the check cannot run (null, counted as a fail)
actual_vs_economic as (
    select
        'three_public_actual_vs_economic' as rule_id,
        cells.document_id,
        cells.source_table || ':actual:' || cells.expense_item as scope,
        '{{ this.name }}' as evaluated_by,
        cells.source_table,
        cells.source_line,
        cells.expense_item as measure,
        cells.source_table || ' actual ' || cells.expense_item as lhs_label,
        cells.amount_wan as lhs_value,
        '公开06 ' || item_codes.economic_code
        || coalesce(' ' || economic.economic_name, ' (not printed)') as rhs_label,
        case
            when economic.document_id is not null then economic.amount_wan
            when economic_documents.document_id is not null then 0
        end as rhs_value,
        cast(cells.source_line as varchar) as lhs_source_lines,
        cast(economic.source_line as varchar) as rhs_source_lines
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
)

select * from total_items
union all
select * from vehicles_parts
union all
select * from actual_vs_economic
