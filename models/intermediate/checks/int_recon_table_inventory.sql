-- Rule table_printed: a final account prints each of the nine standard tables, with its data
-- or empty with a note saying why (declared_empty, "…故本表无数据"). A table of which no
-- title was found is missing: a finding, however well the other tables add up. A title found
-- with no row read (unrecognised) says the table is there but not what it holds: not
-- evaluable (unresolved), and the load reports it. Documents that are not final accounts
-- have no standard tables and get no row. The title in the scope is the national
-- template's, so a check keeps its scope whatever the document prints.
{%- set national_titles = {
    'income_expenditure_summary': '收入支出决算总表',
    'income_by_function': '收入决算表',
    'expenditure_by_function': '支出决算表',
    'appropriation_summary': '财政拨款收入支出决算总表',
    'general_budget_expenditure': '一般公共预算财政拨款支出决算表',
    'basic_expenditure_by_economic': '一般公共预算财政拨款基本支出决算表',
    'government_fund': '政府性基金预算财政拨款收入支出决算表',
    'state_capital': '国有资本经营预算财政拨款收入支出决算表',
    'three_public': '财政拨款“三公”经费支出决算表',
} %}
with final_accounts as (
    select document_id
    from {{ ref('stg_extract__documents') }}
    where document_kind = 'final_accounts'
),

inventory as (
    select * from {{ ref('stg_extract__table_inventory') }}
),

kinds as (
    {%- for kind, code in standard_table_kinds() %}
    select
        '{{ kind }}' as table_kind,
        '{{ code }}' as source_table,
        '{{ national_titles[kind] }}' as national_title
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

expected as (
    select
        final_accounts.document_id,
        kinds.table_kind,
        kinds.source_table,
        kinds.national_title,
        -- the extractor writes a row for every kind; a kind without one was not found either
        coalesce(inventory.status, 'missing') as status,
        inventory.title,
        inventory.note,
        inventory.row_count,
        inventory.source_page,
        inventory.source_line
    from final_accounts
    cross join kinds
    left join inventory
        on
            final_accounts.document_id = inventory.document_id
            and kinds.table_kind = inventory.table_kind
)

select
    'table_printed' as rule_id,
    document_id,
    source_table || ':' || national_title as scope,
    '{{ this.name }}' as evaluated_by,
    source_table,
    source_line,
    'printed' as measure,
    source_table || ' ' || national_title || ': printed (with its rows, or empty with a note)' as lhs_label,
    1 as lhs_value,
    case status
        when 'extracted' then 'printed: 「' || title || '」, ' || row_count || ' rows read'
        when 'declared_empty' then 'printed empty: 「' || title || '」, note 「' || coalesce(note, '') || '」'
        when 'unrecognised' then 'title printed: 「' || title || '」, no row could be read'
        else 'not found: no title of this kind in the document'
    end as rhs_label,
    case status
        when 'extracted' then 1
        when 'declared_empty' then 1
        when 'missing' then 0
    end as rhs_value,
    cast(null as varchar) as lhs_source_lines,
    {{ source_ref('source_line', 'source_page') }} as rhs_source_lines,
    cast(null as decimal(18, 6)) as envelope,
    case when status = 'unrecognised' then 'unresolved' end as not_evaluable_reason
from expected
