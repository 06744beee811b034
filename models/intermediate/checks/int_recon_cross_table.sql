-- Identities between tables of the same document, within the half display units of the
-- printed figures compared (envelope). A side whose table or row is not printed at all is
-- null (not_evaluable: the check could not run); a class or code row a table
-- does not print, while the table itself is there, stands for 0. A table printed empty
-- with a note (fct_table_inventory: declared_empty) has nothing to check: its 合计 is 0.
with summary_lines as (
    select * from {{ ref('int_summary_lines_classified') }}
),

function_amounts as (
    select * from {{ ref('int_function_amounts_unpivoted') }}
),

income as (
    select * from {{ ref('stg_extract__income_by_function') }}
),

economic as (
    select * from {{ ref('stg_extract__basic_expenditure_by_economic') }}
),

declared_empty as (
    select
        document_id,
        source_table,
        source_page,
        source_line
    from {{ ref('stg_extract__table_inventory') }}
    where status = 'declared_empty'
),

-- 公开01 classes are compared with 公开03 (all money), 公开04's general-budget column
-- with 公开05 (general-budget money only)
summary_classes as (
    select
        document_id,
        source_table,
        case source_table when '公开01' then '公开03' else '公开05' end as function_table,
        class_name,
        value_wan,
        value_half_unit,
        source_page,
        source_line
    from summary_lines
    where
        side = 'expenditure'
        and line_role = 'numbered'
        and (
            (source_table = '公开01' and value_column = 'amount')
            or (source_table = '公开04' and value_column = 'general_budget')
        )
),

function_classes as (
    select
        document_id,
        source_table,
        case source_table when '公开03' then '公开01' else '公开04' end as summary_table,
        subject_code,
        subject_name,
        value_wan,
        value_half_unit,
        source_page,
        source_line
    from function_amounts
    where
        subject_level = 1
        and value_column = 'total'
        and source_table in ('公开03', '公开05')
),

-- the tables a document prints (rows read, or empty with its note): a class line missing
-- from a printed table stands for 0, one of a table not printed at all is unknown
tables_read as (
    select distinct
        document_id,
        source_table
    from summary_lines
    union
    select distinct
        document_id,
        source_table
    from function_amounts
    union
    select
        document_id,
        source_table
    from declared_empty
),

classes as (
    select
        case coalesce(summary_classes.source_table, function_classes.summary_table)
            when '公开01' then 'cross_01_classes_03'
            else 'cross_04_classes_05'
        end as rule_id,
        coalesce(summary_classes.document_id, function_classes.document_id) as document_id,
        coalesce(summary_classes.source_table, function_classes.summary_table)
        || '>' || coalesce(function_classes.source_table, summary_classes.function_table)
        || ':' || coalesce(summary_classes.class_name, function_classes.subject_name) as scope,
        '{{ this.name }}' as evaluated_by,
        coalesce(summary_classes.source_table, function_classes.summary_table) as source_table,
        summary_classes.source_line,
        cast(null as varchar) as measure,
        coalesce(summary_classes.source_table, function_classes.summary_table) || ' '
        || coalesce(summary_classes.class_name, function_classes.subject_name || ' (no class line)') as lhs_label,
        case
            when summary_classes.document_id is not null then summary_classes.value_wan
            when summary_read.document_id is not null then 0
        end as lhs_value,
        coalesce(function_classes.source_table, summary_classes.function_table) || ' '
        || coalesce(function_classes.subject_code || ' 类 total', '类 (no code row)') as rhs_label,
        case
            when function_classes.document_id is not null then function_classes.value_wan
            when function_read.document_id is not null then 0
        end as rhs_value,
        {{ source_ref('summary_classes.source_line', 'summary_classes.source_page') }} as lhs_source_lines,
        {{ source_ref('function_classes.source_line', 'function_classes.source_page') }} as rhs_source_lines,
        coalesce(summary_classes.value_half_unit, 0) + coalesce(function_classes.value_half_unit, 0) as envelope,
        cast(null as varchar) as not_evaluable_reason
    from summary_classes
    full outer join function_classes
        on
            summary_classes.document_id = function_classes.document_id
            and summary_classes.function_table = function_classes.source_table
            and summary_classes.class_name = function_classes.subject_name
    left join tables_read as summary_read
        on
            coalesce(summary_classes.document_id, function_classes.document_id) = summary_read.document_id
            and coalesce(summary_classes.source_table, function_classes.summary_table) = summary_read.source_table
    left join tables_read as function_read
        on
            coalesce(summary_classes.document_id, function_classes.document_id) = function_read.document_id
            and coalesce(function_classes.source_table, summary_classes.function_table) = function_read.source_table
),

-- table totals: (summary line, column) against (function table 合计 row, column)
total_pairs (rule_id, summary_table, summary_side, summary_column, function_table, function_column) as (
    values
    ('cross_01_income_total_02', '公开01', 'income', 'amount', '公开02', 'total'),
    ('cross_04_income_total_02', '公开04', 'income', 'amount', '公开02', 'fiscal_appropriation'),
    ('cross_01_expenditure_total_03', '公开01', 'expenditure', 'amount', '公开03', 'total'),
    ('cross_04_expenditure_total_05', '公开04', 'expenditure', 'general_budget', '公开05', 'total'),
    ('cross_04_expenditure_total_07', '公开04', 'expenditure', 'gov_fund', '公开07', 'expenditure_total'),
    ('cross_04_expenditure_total_08', '公开04', 'expenditure', 'state_capital', '公开08', 'total')
),

summary_totals as (
    select
        document_id,
        source_table,
        side,
        value_column,
        value_wan,
        value_half_unit,
        source_page,
        source_line
    from summary_lines
    where line_role = 'current_total'
),

function_totals as (
    select
        document_id,
        source_table,
        value_column,
        value_wan,
        value_half_unit,
        source_page,
        source_line
    from function_amounts
    where is_total_row
),

tables_with_totals as (
    select
        document_id,
        source_table
    from summary_totals
    union
    select
        document_id,
        source_table
    from function_totals
),

-- a pair is checked on every document printing either of its two tables
pair_documents as (
    select distinct
        total_pairs.rule_id,
        tables_with_totals.document_id
    from total_pairs
    inner join tables_with_totals
        on tables_with_totals.source_table in (total_pairs.summary_table, total_pairs.function_table)
),

totals as (
    select
        total_pairs.rule_id,
        pair_documents.document_id,
        total_pairs.summary_table || '>' || total_pairs.function_table || ':合计' as scope,
        '{{ this.name }}' as evaluated_by,
        total_pairs.summary_table as source_table,
        summary_totals.source_line,
        total_pairs.summary_column as measure,
        total_pairs.summary_table || ' 本年' || case total_pairs.summary_side when 'income' then '收入' else '支出' end
        || '合计 [' || total_pairs.summary_column || ']' as lhs_label,
        summary_totals.value_wan as lhs_value,
        total_pairs.function_table || ' 合计 [' || total_pairs.function_column || ']'
        || case
            when function_totals.document_id is null and declared_empty.document_id is not null
                then ' (declared empty)'
            else ''
        end as rhs_label,
        case
            when function_totals.document_id is not null then function_totals.value_wan
            when declared_empty.document_id is not null then cast(0 as decimal(18, 2))
        end as rhs_value,
        {{ source_ref('summary_totals.source_line', 'summary_totals.source_page') }} as lhs_source_lines,
        {{ source_ref(
            'coalesce(function_totals.source_line, declared_empty.source_line)',
            'coalesce(function_totals.source_page, declared_empty.source_page)',
        ) }} as rhs_source_lines,
        coalesce(summary_totals.value_half_unit, 0) + coalesce(function_totals.value_half_unit, 0) as envelope,
        cast(null as varchar) as not_evaluable_reason
    from pair_documents
    inner join total_pairs
        on pair_documents.rule_id = total_pairs.rule_id
    left join summary_totals
        on
            pair_documents.document_id = summary_totals.document_id
            and total_pairs.summary_table = summary_totals.source_table
            and total_pairs.summary_side = summary_totals.side
            and total_pairs.summary_column = summary_totals.value_column
    left join function_totals
        on
            pair_documents.document_id = function_totals.document_id
            and total_pairs.function_table = function_totals.source_table
            and total_pairs.function_column = function_totals.value_column
    left join declared_empty
        on
            pair_documents.document_id = declared_empty.document_id
            and total_pairs.function_table = declared_empty.source_table
),

-- 公开02 counts 政府性基金 and 国有资本经营 money as 财政拨款 too, while 公开05 holds
-- general-budget money only: a code spending such money (公开07/08), its ancestors and
-- 合计 are not comparable
other_fund_codes as (
    select distinct
        document_id,
        coalesce(subject_code, '合计') as subject_key
    from function_amounts
    where
        source_table in ('公开07', '公开08')
        and value_column in ('expenditure_total', 'total')
        and value_wan != 0
),

-- codes (and 合计) whose income is all general-budget appropriation: 公开03 must then
-- equal 公开05
appropriation_only as (
    select
        income.document_id,
        coalesce(income.subject_code, '合计') as row_key
    from income
    where
        income.total_wan = income.fiscal_appropriation_wan
        and not exists (
            select 1 as other_fund_spent
            from other_fund_codes
            where
                other_fund_codes.document_id = income.document_id
                and (
                    income.subject_code is null
                    or starts_with(other_fund_codes.subject_key, income.subject_code)
                )
        )
),

expenditure_rows as (
    select
        document_id,
        source_table,
        coalesce(subject_code, '合计') as row_key,
        subject_name,
        value_column,
        value_wan,
        value_half_unit,
        source_page,
        source_line
    from function_amounts
    where
        source_table in ('公开03', '公开05')
        and value_column in ('total', 'basic', 'project')
),

tables_printed as (
    select distinct
        document_id,
        source_table
    from expenditure_rows
),

general_budget_codes as (
    select
        'cross_03_05_general_budget_codes' as rule_id,
        x03.document_id,
        '公开03>公开05:' || x03.row_key || ':' || x03.value_column as scope,
        '{{ this.name }}' as evaluated_by,
        '公开03' as source_table,
        x03.source_line,
        x03.value_column as measure,
        '公开03 ' || x03.row_key || ' ' || x03.subject_name || ' [' || x03.value_column || ']' as lhs_label,
        x03.value_wan as lhs_value,
        '公开05 ' || x03.row_key || case when x05.document_id is null then ' (no row)' else '' end
        || ' [' || x03.value_column || ']' as rhs_label,
        case
            when x05.document_id is not null then x05.value_wan
            when printed05.document_id is not null then 0
        end as rhs_value,
        {{ source_ref('x03.source_line', 'x03.source_page') }} as lhs_source_lines,
        {{ source_ref('x05.source_line', 'x05.source_page') }} as rhs_source_lines,
        x03.value_half_unit + coalesce(x05.value_half_unit, 0) as envelope,
        cast(null as varchar) as not_evaluable_reason
    from expenditure_rows as x03
    inner join appropriation_only
        on
            x03.document_id = appropriation_only.document_id
            and x03.row_key = appropriation_only.row_key
    left join expenditure_rows as x05
        on
            x03.document_id = x05.document_id
            and x03.row_key = x05.row_key
            and x03.value_column = x05.value_column
            and x05.source_table = '公开05'
    left join tables_printed as printed05
        on
            x03.document_id = printed05.document_id
            and printed05.source_table = '公开05'
    where x03.source_table = '公开03'
),

basic_totals as (
    select
        document_id,
        value_wan,
        value_half_unit,
        source_page,
        source_line
    from function_amounts
    where
        source_table = '公开05'
        and is_total_row
        and value_column = 'basic'
),

economic_totals as (
    select
        document_id,
        -- both printed totals are needed; one missing leaves the sum unknown
        case when count(*) = 2 then {{ strict_sum('amount_wan') }} end as totals_wan,
        {{ source_refs('source_line', 'source_page') }} as totals_lines,
        sum({{ half_unit('amount_printed') }}) as totals_half_units
    from economic
    where is_total_row
    group by document_id
),

basic_vs_economic as (
    select
        'cross_05_basic_06_totals' as rule_id,
        coalesce(basic_totals.document_id, economic_totals.document_id) as document_id,
        '公开05>公开06:合计:basic' as scope,
        '{{ this.name }}' as evaluated_by,
        '公开05' as source_table,
        basic_totals.source_line,
        'basic' as measure,
        '公开05 合计 基本支出' as lhs_label,
        basic_totals.value_wan as lhs_value,
        '公开06 人员经费合计 + 公用经费合计' as rhs_label,
        economic_totals.totals_wan as rhs_value,
        {{ source_ref('basic_totals.source_line', 'basic_totals.source_page') }} as lhs_source_lines,
        economic_totals.totals_lines as rhs_source_lines,
        coalesce(basic_totals.value_half_unit, 0) + coalesce(economic_totals.totals_half_units, 0) as envelope,
        cast(null as varchar) as not_evaluable_reason
    from basic_totals
    full outer join economic_totals
        on basic_totals.document_id = economic_totals.document_id
)

select * from classes
union all
select * from totals
union all
select * from general_budget_codes
union all
select * from basic_vs_economic
