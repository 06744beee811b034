-- 公开06 printed totals (人员经费合计 / 公用经费合计) against the classes of their
-- category and, separately, against the 5-digit items (which skip the class subtotals).
with economic as (
    select * from {{ ref('stg_extract__basic_expenditure_by_economic') }}
),

categories as (
    select distinct
        document_id,
        source_table,
        expense_category
    from economic
),

printed_totals as (
    select
        document_id,
        expense_category,
        economic_name,
        amount_wan,
        {{ half_unit('amount_printed') }} as half_unit,
        source_page,
        source_line
    from economic
    where is_total_row
),

codes_by_category as (
    select
        document_id,
        expense_category,
        count(*) filter (where economic_level = 1) as n_classes,
        {{ strict_sum('amount_wan', 'economic_level = 1') }} as classes_wan,
        {{ source_refs('source_line', 'source_page', 'economic_level = 1') }} as classes_lines,
        coalesce(sum({{ half_unit('amount_printed') }}) filter (where economic_level = 1), 0) as classes_half_units,
        coalesce(sum({{ half_unit('amount_printed') }}) filter (where economic_level = 2), 0) as items_half_units,
        string_agg(economic_code, ' + ' order by economic_code) filter (where economic_level = 1) as class_codes,
        count(*) filter (where economic_level = 2) as n_items,
        {{ strict_sum('amount_wan', 'economic_level = 2') }} as items_wan,
        {{ source_refs('source_line', 'source_page', 'economic_level = 2') }} as items_lines
    from economic
    where not is_total_row
    group by document_id, expense_category
),

joined as (
    select
        categories.document_id,
        categories.source_table,
        categories.expense_category,
        coalesce(
            printed_totals.economic_name,
            case categories.expense_category when 'personnel' then '人员经费合计' else '公用经费合计' end
        ) as total_label,
        printed_totals.amount_wan as total_wan,
        coalesce(printed_totals.half_unit, 0) as total_half_unit,
        coalesce(codes_by_category.classes_half_units, 0) as classes_half_units,
        coalesce(codes_by_category.items_half_units, 0) as items_half_units,
        {{ source_ref('printed_totals.source_line', 'printed_totals.source_page') }} as total_lines,
        printed_totals.source_line as total_line,
        coalesce(codes_by_category.n_classes, 0) as n_classes,
        coalesce(codes_by_category.classes_wan, 0) as classes_wan,
        codes_by_category.classes_lines,
        codes_by_category.class_codes,
        coalesce(codes_by_category.n_items, 0) as n_items,
        coalesce(codes_by_category.items_wan, 0) as items_wan,
        codes_by_category.items_lines
    from categories
    left join printed_totals
        on
            categories.document_id = printed_totals.document_id
            and categories.expense_category = printed_totals.expense_category
    left join codes_by_category
        on
            categories.document_id = codes_by_category.document_id
            and categories.expense_category = codes_by_category.expense_category
),

against_classes as (
    select
        case expense_category
            when 'personnel' then 'econ_personnel_total_classes'
            when 'public' then 'econ_public_total_classes'
        end as rule_id,
        document_id,
        source_table || ':' || expense_category || ':classes' as scope,
        '{{ this.name }}' as evaluated_by,
        source_table,
        total_line as source_line,
        'classes' as measure,
        source_table || ' ' || total_label as lhs_label,
        total_wan as lhs_value,
        source_table || ' sum of ' || n_classes || ' classes (' || coalesce(class_codes, 'none') || ')' as rhs_label,
        classes_wan as rhs_value,
        total_lines as lhs_source_lines,
        classes_lines as rhs_source_lines,
        total_half_unit + classes_half_units as envelope,
        cast(null as varchar) as not_evaluable_reason
    from joined
),

against_items as (
    select
        case expense_category
            when 'personnel' then 'econ_personnel_total_items'
            when 'public' then 'econ_public_total_items'
        end as rule_id,
        document_id,
        source_table || ':' || expense_category || ':items' as scope,
        '{{ this.name }}' as evaluated_by,
        source_table,
        total_line as source_line,
        'items' as measure,
        source_table || ' ' || total_label as lhs_label,
        total_wan as lhs_value,
        source_table || ' sum of ' || n_items || ' 款 items' as rhs_label,
        items_wan as rhs_value,
        total_lines as lhs_source_lines,
        items_lines as rhs_source_lines,
        total_half_unit + items_half_units as envelope,
        cast(null as varchar) as not_evaluable_reason
    from joined
)

select * from against_classes
union all
select * from against_items
