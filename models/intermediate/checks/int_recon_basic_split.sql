-- Row rule of the templates that print 基本支出 split into 人员经费 and 公用经费 (公开03 / 公开05):
-- in every row, 基本支出 = 人员经费 + 公用经费 within the half display units of the three printed
-- cells (envelope). A table that prints neither column has no check; a row whose split is
-- printed but whose 基本支出 cell was not is not evaluable.
with expenditure as (
    select * from {{ ref('stg_extract__expenditure_by_function') }}
    where basic_personnel_wan is not null or basic_public_wan is not null
),

basic_split as (
    select
        'row_basic_personnel_public' as rule_id,
        document_id,
        source_table || ':' || coalesce(subject_code, '合计') as scope,
        '{{ this.name }}' as evaluated_by,
        source_table,
        source_line,
        'basic' as measure,
        source_table || ' ' || coalesce(subject_code || ' ', '') || subject_name || ' 基本支出' as lhs_label,
        basic_wan as lhs_value,
        source_table || ' 人员经费 + 公用经费' as rhs_label,
        basic_personnel_wan + basic_public_wan as rhs_value,
        cast(source_line as varchar) as lhs_source_lines,
        cast(source_line as varchar) as rhs_source_lines,
        {{ half_units(['basic_printed', 'basic_personnel_printed', 'basic_public_printed']) }} as envelope,
        case
            when basic_wan is null or basic_personnel_wan is null or basic_public_wan is null
                then 'side_not_printed'
        end as not_evaluable_reason
    from expenditure
)

select * from basic_split
