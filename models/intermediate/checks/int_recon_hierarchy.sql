-- Hierarchy rules: a printed parent equals the sum of its printed children. Parents
-- with no child printed are not checked (nothing to add up); the 合计 row is checked
-- even when no 类 row exists (an empty table must print a zero 合计). The envelope is
-- half a display unit of the parent and of each child at its printed precision.
with amounts as (
    select * from {{ ref('int_function_amounts_unpivoted') }}
),

economic as (
    select * from {{ ref('stg_extract__basic_expenditure_by_economic') }}
),

children_by_parent as (
    select
        document_id,
        source_table,
        value_column,
        parent_code,
        count(*) as n_children,
        {{ strict_sum('value_wan') }} as children_wan,
        sum(value_half_unit) as children_half_units,
        {{ source_refs('source_line', 'source_page') }} as children_lines
    from amounts
    where parent_code is not null
    group by document_id, source_table, value_column, parent_code
),

function_parent_children as (
    select
        'hier_function_parent_children' as rule_id,
        parents.document_id,
        parents.source_table || ':' || parents.subject_code || ':' || parents.value_column as scope,
        '{{ this.name }}' as evaluated_by,
        parents.source_table,
        parents.source_line,
        parents.value_column as measure,
        parents.source_table || ' ' || parents.subject_code || ' ' || coalesce(parents.subject_name, '')
        || ' [' || parents.value_column || ']' as lhs_label,
        parents.value_wan as lhs_value,
        parents.source_table || ' sum of ' || children.n_children || ' child rows' as rhs_label,
        children.children_wan as rhs_value,
        {{ source_ref('parents.source_line', 'parents.source_page') }} as lhs_source_lines,
        children.children_lines as rhs_source_lines,
        parents.value_half_unit + children.children_half_units as envelope,
        cast(null as varchar) as not_evaluable_reason
    from amounts as parents
    inner join children_by_parent as children
        on
            parents.document_id = children.document_id
            and parents.source_table = children.source_table
            and parents.value_column = children.value_column
            and parents.subject_code = children.parent_code
),

classes as (
    select
        document_id,
        source_table,
        value_column,
        count(*) as n_classes,
        {{ strict_sum('value_wan') }} as classes_wan,
        sum(value_half_unit) as classes_half_units,
        {{ source_refs('source_line', 'source_page') }} as classes_lines
    from amounts
    where subject_level = 1
    group by document_id, source_table, value_column
),

function_total_classes as (
    select
        'hier_function_total_classes' as rule_id,
        totals.document_id,
        totals.source_table || ':合计:' || totals.value_column as scope,
        '{{ this.name }}' as evaluated_by,
        totals.source_table,
        totals.source_line,
        totals.value_column as measure,
        totals.source_table || ' 合计 [' || totals.value_column || ']' as lhs_label,
        totals.value_wan as lhs_value,
        totals.source_table || ' sum of ' || coalesce(classes.n_classes, 0) || ' 类 rows' as rhs_label,
        case when classes.document_id is null then 0 else classes.classes_wan end as rhs_value,
        {{ source_ref('totals.source_line', 'totals.source_page') }} as lhs_source_lines,
        classes.classes_lines as rhs_source_lines,
        totals.value_half_unit + coalesce(classes.classes_half_units, 0) as envelope,
        cast(null as varchar) as not_evaluable_reason
    from amounts as totals
    left join classes
        on
            totals.document_id = classes.document_id
            and totals.source_table = classes.source_table
            and totals.value_column = classes.value_column
    where totals.is_total_row
),

economic_items_by_class as (
    select
        document_id,
        parent_code,
        count(*) as n_items,
        {{ strict_sum('amount_wan') }} as items_wan,
        sum({{ half_unit('amount_printed') }}) as items_half_units,
        {{ source_refs('source_line', 'source_page') }} as items_lines
    from economic
    where economic_level = 2
    group by document_id, parent_code
),

economic_class_items as (
    select
        'hier_economic_class_items' as rule_id,
        classes.document_id,
        classes.source_table || ':' || classes.economic_code || ':amount' as scope,
        '{{ this.name }}' as evaluated_by,
        classes.source_table,
        classes.source_line,
        'amount' as measure,
        classes.source_table || ' ' || classes.economic_code || ' '
        || coalesce(classes.economic_name, '') as lhs_label,
        classes.amount_wan as lhs_value,
        classes.source_table || ' sum of ' || items.n_items || ' 款 items' as rhs_label,
        items.items_wan as rhs_value,
        {{ source_ref('classes.source_line', 'classes.source_page') }} as lhs_source_lines,
        items.items_lines as rhs_source_lines,
        {{ half_unit('classes.amount_printed') }} + items.items_half_units as envelope,
        cast(null as varchar) as not_evaluable_reason
    from economic as classes
    inner join economic_items_by_class as items
        on
            classes.document_id = items.document_id
            and classes.economic_code = items.parent_code
    where classes.economic_level = 1
)

select * from function_parent_children
union all
select * from function_total_classes
union all
select * from economic_class_items
