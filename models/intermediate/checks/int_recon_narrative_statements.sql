-- Family narrative: the peer checker's rules on statements that carry no figure of their own
-- (docs/peer_checks.md rows 1, 5, 7), read from stg_extract__narrative_statements and the
-- figures each statement names by figure_seq.
--   narr_direction_words                   大于 / 小于 / 持平 年初预算 = the sign of 支出决算 − 年初预算
--                                          stated in the same paragraph
--   narr_three_public_direction_consistent a 三公 item is not said to have changed and stayed level
--   narr_rate_reason_given                 a completion rate off 100 % by more than 0.5 pp gives a reason
--   narr_fund_none_stated                  a fund said to have had nothing: its table's 合计 本年支出 is 0
with statements as (
    select * from {{ ref('stg_extract__narrative_statements') }}
),

figures as (
    select
        document_id,
        figure_seq,
        source_line,
        -- a bare 0 is 0 in any unit (年初预算为 0，支出决算为 150 万元)
        coalesce(value_wan, case when unit is null and value = 0 then 0 end) as value_wan,
        value_ratio,
        value_printed,
        {{ figure_half_wan('value_printed', 'unit') }} as half_wan
    from {{ ref('stg_extract__narrative_figures') }}
),

paragraphs as (
    select
        statements.*,
        budget.value_wan as budget_wan,
        budget.value_printed as budget_printed,
        budget.half_wan as budget_half,
        budget.source_line as budget_line,
        actual.value_wan as actual_wan,
        actual.value_printed as actual_printed,
        actual.half_wan as actual_half,
        actual.source_line as actual_line,
        rate.value_ratio as rate_ratio,
        rate.value_printed as rate_printed,
        actual.value_wan - budget.value_wan as gap_wan,
        coalesce(statements.subject_key, 'unnamed') as subject
    from statements
    left join figures as budget
        on statements.document_id = budget.document_id and statements.budget_figure_seq = budget.figure_seq
    left join figures as actual
        on statements.document_id = actual.document_id and statements.actual_figure_seq = actual.figure_seq
    left join figures as rate
        on statements.document_id = rate.document_id and statements.rate_figure_seq = rate.figure_seq
),

-- ------------------------------------------------------ a direction word against the figures
-- lhs: the direction the word states (1 大于, 0 持平, −1 小于); rhs: the sign of 支出决算 −
-- 年初预算 as printed. Within the two figures' half units the printed gap does not fix the
-- true sign, so 持平 beside a gap that small, or a direction beside equal printed figures,
-- is rounding (tolerance 1); beyond it the word must match (tolerance 0).
directions as (
    select
        *,
        case
            when word in ('大于', '高于', '超过', '多于') then 1
            when word in ('小于', '低于', '少于') then -1
            when word in ('持平', '等于', '相当', '一致') then 0
        end as word_sign
    from paragraphs
    where statement_kind = 'direction'
),

direction_words as (
    select
        'narr_direction_words' as rule_id,
        document_id,
        '情况说明:' || subject || ':direction:#' || statement_seq as scope,
        '{{ this.name }}' as evaluated_by,
        source_table,
        source_line,
        'direction' as measure,
        '情况说明 ' || subject || ' 决算数' || coalesce(word, '?') || '预算数 (1 大于, 0 持平, −1 小于)'
            as lhs_label,
        word_sign as lhs_value,
        '情况说明 支出决算 ' || coalesce(actual_printed, 'not stated') || ' − 年初预算 '
        || coalesce(budget_printed, 'not stated') || ': its sign' as rhs_label,
        sign(gap_wan) as rhs_value,
        cast(source_line as varchar) as lhs_source_lines,
        {{ merge_lines(['budget_line', 'actual_line']) }} as rhs_source_lines,
        case when abs(gap_wan) <= budget_half + actual_half then 1 else 0 end as envelope,
        case
            when word_sign is null then 'unresolved'
            when gap_wan is null then 'side_not_printed'
        end as not_evaluable_reason
    from directions
),

-- ----------------------------------------------- a 三公 item both changed and level (持平)
three_public_changes as (
    select
        'narr_three_public_direction_consistent' as rule_id,
        document_id,
        '情况说明:三公:' || coalesce(subject_key, 'unnamed') || ':#' || statement_seq as scope,
        '{{ this.name }}' as evaluated_by,
        source_table,
        source_line,
        'direction' as measure,
        '情况说明 ' || coalesce(subject_key, 'unnamed') || ' said to have changed as well as stayed level ('
        || word || ')' as lhs_label,
        case when regexp_matches(word, '增加|减少|增长|下降|上升|降低') then 1 else 0 end as lhs_value,
        '持平 with no 增 / 减 beside it (0)' as rhs_label,
        0 as rhs_value,
        cast(source_line as varchar) as lhs_source_lines,
        cast(source_line as varchar) as rhs_source_lines,
        0 as envelope,
        cast(null as varchar) as not_evaluable_reason
    from statements
    where statement_kind = 'three_public_change'
),

-- ------------------------------------------- a completion rate off 100 %: a reason is given
-- the stated rate where printed, else 支出决算 / 年初预算; a paragraph within 0.5 pp of 100 %
-- needs no reason and has no row
reasons as (
    select
        *,
        coalesce(rate_ratio, {{ exact_ratio('actual_wan', 'budget_wan', 6) }}) as completion_ratio
    from paragraphs
    where statement_kind = 'reason'
),

rate_reasons as (
    select
        'narr_rate_reason_given' as rule_id,
        document_id,
        '情况说明:' || subject || ':reason:#' || statement_seq as scope,
        '{{ this.name }}' as evaluated_by,
        source_table,
        source_line,
        'count' as measure,
        '情况说明 ' || subject || ' gives a reason (1 = 主要原因 / 由于 / 系 / 受…影响: '
        || coalesce(word, 'none') || ')' as lhs_label,
        case when word is not null then 1 else 0 end as lhs_value,
        case
            when budget_wan = 0
                then '年初预算 ' || budget_printed || ': no completion rate (支出决算 ' || actual_printed || ')'
            when budget_wan is null or actual_wan is null
                then
                    '年初预算 ' || coalesce(budget_printed, 'not stated') || ', 支出决算 '
                    || coalesce(actual_printed, 'not stated')
            else
                '完成率 '
                || coalesce(
                    rate_printed || '%',
                    {{ number_text('completion_ratio * 100') }} || '% (支出决算 ' || actual_printed
                    || ' / 年初预算 ' || budget_printed || ')'
                )
                || ' off 100 % by more than 0.5 pp: a reason is given'
        end as rhs_label,
        case when budget_wan <> 0 then 1 end as rhs_value,
        cast(source_line as varchar) as lhs_source_lines,
        {{ merge_lines(['budget_line', 'actual_line']) }} as rhs_source_lines,
        0 as envelope,
        case
            when budget_wan = 0 then 'zero_denominator'
            when budget_wan is null or actual_wan is null then 'side_not_printed'
        end as not_evaluable_reason
    from reasons
    where budget_wan is null or actual_wan is null or budget_wan = 0 or abs(completion_ratio - 1) > 0.005
),

-- ------------------------------------------ a fund said to have had nothing against its table
-- the table by its canonical kind, never by its number: 政府性基金 本年支出 小计, 国有资本经营 合计
fund_totals as (
    select
        document_id,
        table_kind,
        max(value_wan) as total_wan,
        {{ source_lines('source_line') }} as table_lines
    from {{ ref('int_function_amounts_unpivoted') }}
    where
        is_total_row
        and (
            (table_kind = 'government_fund' and value_column = 'expenditure_total')
            or (table_kind = 'state_capital' and value_column = 'total')
        )
    group by document_id, table_kind
),

fund_tables as (
    select
        document_id,
        table_kind,
        any_value(status) as status,
        any_value(source_table) as source_table,
        any_value(source_line) as source_line
    from {{ ref('stg_extract__table_inventory') }}
    where table_kind in ('government_fund', 'state_capital')
    group by document_id, table_kind
),

fund_none as (
    select
        'narr_fund_none_stated' as rule_id,
        statements.document_id,
        '情况说明:' || statements.subject_key || ':none:#' || statements.statement_seq as scope,
        '{{ this.name }}' as evaluated_by,
        statements.source_table,
        statements.source_line,
        'amount' as measure,
        coalesce(fund_tables.source_table, statements.subject_key) || ' 合计 本年支出 ('
        || coalesce(fund_tables.status, 'missing') || ')' as lhs_label,
        case
            when fund_tables.status = 'declared_empty' then 0
            when fund_tables.status = 'extracted' then fund_totals.total_wan
        end as lhs_value,
        '情况说明 ' || statements.word || '…' || statements.subject_key || ': nothing spent' as rhs_label,
        0 as rhs_value,
        coalesce(fund_totals.table_lines, cast(fund_tables.source_line as varchar)) as lhs_source_lines,
        cast(statements.source_line as varchar) as rhs_source_lines,
        0 as envelope,
        case
            when fund_tables.status = 'unrecognised' then 'unresolved'
            when fund_tables.status = 'declared_empty' then null
            when fund_tables.status is null or fund_tables.status = 'missing' or fund_totals.total_wan is null
                then 'side_not_printed'
        end as not_evaluable_reason
    from statements
    left join fund_tables
        on statements.document_id = fund_tables.document_id and statements.subject_key = fund_tables.table_kind
    left join fund_totals
        on statements.document_id = fund_totals.document_id and statements.subject_key = fund_totals.table_kind
    where statements.statement_kind = 'fund_none'
)

select * from direction_words
union all
select * from three_public_changes
union all
select * from rate_reasons
union all
select * from fund_none
