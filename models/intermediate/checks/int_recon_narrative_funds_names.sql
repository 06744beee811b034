-- Family narrative: three checks of a public checker of the same disclosures
-- (docs/peer_checks.md rows 1, 9, 10) on the narrative's printed 类/款/项 paths and its
-- printed prior-year amounts. Each row carries its rounding envelope and, where a side
-- could not be read, a not_evaluable_reason.
--   narr_fund_amounts               a 政府性基金 / 国有资本经营 section's amount for a 类/款/项 path
--                                   = that code's 本年支出 in its fund table, only when all three
--                                   printed names are the table's (never on a 项 name alone)
--   narr_function_names_match       the printed 类/款/项 names = the table's names for the code
--   narr_yoy_explicit_prior_change  current − the printed prior-year amount = the stated change
--   narr_yoy_explicit_prior_pct     the stated % = (current − prior) / prior
with figures as (
    select
        *,
        regexp_replace(metric_key, '\.[^.]+$', '') as metric_prefix,
        {{ figure_half_wan('value_printed', 'unit') }} as half_wan
    from {{ ref('stg_extract__narrative_figures') }}
    where metric_key is not null
),

-- ------------------------------------------------------------ the tables' subject names
-- whitespace (wrap spaces, U+3000) dropped and brackets read full-width, as the extractor
-- records the printed path
table_names as (
    select distinct
        document_id,
        table_kind,
        source_table,
        subject_code,
        source_line,
        source_page,
        replace(replace(
            regexp_replace(coalesce(subject_name, ''), '[\s\x{3000}\x{00a0}]', '', 'g'), '(', '（'
        ), ')', '）') as name_key
    from {{ ref('int_function_amounts_unpivoted') }}
    where subject_code is not null and subject_name is not null
),

-- ------------------------------------------------------- each printed path and its code
-- one per printed path and key prefix (the path's figures share it); the general budget's
-- names are 公开05's, or the same code's name in the document's other function tables
-- (公开03, 公开02: page text interleaves 公开05's narrow name column in some documents);
-- a fund section's names are its own table's
paths as (
    select
        document_id,
        metric_prefix,
        subject_printed,
        min(figure_seq) as figure_seq,
        min(source_line) as source_line,
        {{ source_lines('source_line') }} as figure_lines,
        any_value(case when metric_family = 'function' then 'general_budget' else metric_family end)
            as path_family,
        nullif(any_value(regexp_extract(metric_key, '^(?:gov_fund\.|state_capital\.)?function\.(\d{7})\.', 1)), '')
            as subject_code,
        any_value(regexp_extract(subject_printed, '^(.*)（类）(.*)（款）(.*)（项）$', 1)) as class_printed,
        any_value(regexp_extract(subject_printed, '^(.*)（类）(.*)（款）(.*)（项）$', 2)) as kuan_printed,
        any_value(regexp_extract(subject_printed, '^(.*)（类）(.*)（款）(.*)（项）$', 3)) as xiang_printed
    from figures
    where subject_printed is not null
    group by document_id, metric_prefix, subject_printed
),

path_levels as (
    select
        *,
        '类' as level_name,
        left(subject_code, 3) as level_code,
        class_printed as printed_name
    from paths
    where subject_code is not null
    union all
    select
        *,
        '款' as level_name,
        left(subject_code, 5) as level_code,
        kuan_printed as printed_name
    from paths
    where subject_code is not null
    union all
    select
        *,
        '项' as level_name,
        subject_code as level_code,
        xiang_printed as printed_name
    from paths
    where subject_code is not null
),

level_matches as (
    select
        path_levels.document_id,
        path_levels.metric_prefix,
        path_levels.subject_printed,
        path_levels.level_name,
        count(table_names.name_key) > 0 as table_prints_it,
        -- a 类 is named with or without its closing 支出 (一般公共服务（类） for 一般公共服务支出)
        bool_or(
            table_names.name_key = path_levels.printed_name
            or (
                path_levels.level_name = '类'
                and regexp_replace(table_names.name_key, '支出$', '')
                = regexp_replace(path_levels.printed_name, '支出$', '')
            )
        ) as name_matches,
        coalesce(
            string_agg(distinct table_names.name_key, ' / ') filter (where table_names.table_kind in (
                'general_budget_expenditure', 'government_fund', 'state_capital'
            )),
            string_agg(distinct table_names.name_key, ' / ')
        ) as table_name,
        coalesce(
            min(table_names.source_table) filter (where table_names.table_kind in (
                'general_budget_expenditure', 'government_fund', 'state_capital'
            )),
            min(table_names.source_table)
        ) as table_label,
        coalesce(
            nullif({{ source_refs('table_names.source_line', 'table_names.source_page',
                                  "table_names.table_kind in ('general_budget_expenditure', 'government_fund', "
                                  ~ "'state_capital')") }}, ''),
            nullif({{ source_refs('table_names.source_line', 'table_names.source_page') }}, '')
        ) as table_lines
    from path_levels
    left join table_names
        on
            path_levels.document_id = table_names.document_id
            and path_levels.level_code = table_names.subject_code
            and (
                (path_levels.path_family = 'general_budget' and table_names.table_kind in (
                    'general_budget_expenditure', 'expenditure_by_function', 'income_by_function'
                ))
                or (path_levels.path_family = 'gov_fund' and table_names.table_kind = 'government_fund')
                or (path_levels.path_family = 'state_capital' and table_names.table_kind = 'state_capital')
            )
    group by all
),

path_names as (
    select
        paths.*,
        count(level_matches.level_name) filter (where level_matches.name_matches) as levels_matching,
        count(level_matches.level_name) filter (where level_matches.table_prints_it) as levels_printed,
        any_value(level_matches.table_label) filter (where level_matches.level_name = '项') as table_label,
        nullif({{ merge_lines(["string_agg(level_matches.table_lines, ',')"]) }}, '') as table_lines,
        string_agg(
            level_matches.table_name || '（' || level_matches.level_name || '）', ''
            order by level_matches.level_name = '项', level_matches.level_name = '款'
        ) as table_path
    from paths
    left join level_matches
        on
            paths.document_id = level_matches.document_id
            and paths.metric_prefix = level_matches.metric_prefix
            and paths.subject_printed = level_matches.subject_printed
    group by all
),

names_match as (
    select
        'narr_function_names_match' as rule_id,
        document_id,
        '情况说明:names:' || metric_prefix || ':#' || figure_seq as scope,
        '{{ this.name }}' as evaluated_by,
        '情况说明' as source_table,
        source_line,
        'names' as measure,
        '情况说明 ' || subject_printed || ': levels whose printed name is the table''s' as lhs_label,
        case when subject_code is not null and levels_printed = 3 then levels_matching end as lhs_value,
        coalesce(
            table_label,
            case path_family when 'gov_fund' then '公开07' when 'state_capital' then '公开08' else '公开05' end
        )
        || ' ' || coalesce(subject_code || ' ' || table_path, 'no code for the printed path')
        || ': 3 levels' as rhs_label,
        3 as rhs_value,
        figure_lines as lhs_source_lines,
        table_lines as rhs_source_lines,
        0 as envelope,
        case
            when subject_code is null then 'unresolved'
            when levels_printed < 3 then 'side_not_printed'
        end as not_evaluable_reason
    from path_names
),

-- ------------------------------------------- a fund section's amount = the fund table's
fund_cells as (
    select
        document_id,
        table_kind,
        source_table,
        subject_code,
        value_wan,
        value_half_unit,
        source_line
    from {{ ref('int_function_amounts_unpivoted') }}
    where
        (table_kind = 'government_fund' and value_column = 'expenditure_total')
        or (table_kind = 'state_capital' and value_column = 'total')
),

fund_sides as (
    select
        figures.document_id,
        figures.figure_seq,
        figures.metric_key,
        figures.metric_family,
        figures.source_line,
        figures.value_wan,
        figures.value_printed,
        figures.unit,
        figures.half_wan,
        coalesce(figures.subject_printed, figures.metric_prefix) as printed_path,
        any_value(path_names.subject_code) as subject_code,
        coalesce(any_value(path_names.levels_matching), 0) as levels_matching,
        any_value(fund_cells.source_table) as table_label,
        max(fund_cells.value_wan) as cell_wan,
        max(fund_cells.value_half_unit) as cell_half,
        count(fund_cells.value_wan) as cells,
        nullif({{ source_lines('fund_cells.source_line') }}, '') as cell_lines
    from figures
    left join path_names
        on
            figures.document_id = path_names.document_id
            and figures.metric_prefix = path_names.metric_prefix
            and figures.subject_printed = path_names.subject_printed
    left join fund_cells
        on
            figures.document_id = fund_cells.document_id
            and path_names.subject_code = fund_cells.subject_code
            and fund_cells.table_kind = case figures.metric_family
                when 'gov_fund' then 'government_fund' else 'state_capital'
            end
    where
        figures.metric_family in ('gov_fund', 'state_capital')
        and figures.metric_measure = 'final_amount'
        and figures.value_wan is not null
    group by all
),

fund_amounts as (
    select
        'narr_fund_amounts' as rule_id,
        document_id,
        '情况说明:' || metric_key || ':#' || figure_seq as scope,
        '{{ this.name }}' as evaluated_by,
        '情况说明' as source_table,
        source_line,
        'final_amount' as measure,
        '情况说明 ' || printed_path || ' 支出决算 ' || value_printed || unit as lhs_label,
        value_wan as lhs_value,
        coalesce(table_label, case metric_family when 'gov_fund' then '公开07' else '公开08' end)
        || ' ' || coalesce(subject_code, 'no code') || ' 本年支出' as rhs_label,
        case when levels_matching = 3 then cell_wan end as rhs_value,
        cast(source_line as varchar) as lhs_source_lines,
        cell_lines as rhs_source_lines,
        -- a restatement: half a unit of the narrative figure and of the table cell
        half_wan + coalesce(cell_half, 0) as envelope,
        case
            when subject_code is null then 'unresolved'
            -- never compared on a partial match: a 项 name alone may belong to another path
            when levels_matching < 3 then 'unresolved'
            when cells = 0 then 'side_not_printed'
        end as not_evaluable_reason
    from fund_sides
),

-- ------------------------------------- a printed prior-year amount, the current, the change
-- in one sentence: the current amount of the same subject stated before the prior, the
-- change and the percentage stated after it
priors as (
    select * from figures
    where metric_measure = 'prior_amount' and value_wan is not null
),

prior_sides as (
    select
        priors.document_id,
        priors.figure_seq,
        priors.metric_key,
        priors.source_line,
        priors.value_wan as prior_wan,
        priors.value_printed as prior_printed,
        priors.half_wan as prior_half,
        related.metric_measure as related_measure,
        related.value_wan,
        related.value_ratio,
        related.ratio_decimals,
        related.value_printed,
        related.half_wan,
        related.source_line as related_line
    from priors
    inner join figures as related
        on
            priors.document_id = related.document_id
            and priors.metric_prefix = related.metric_prefix
            and priors.sentence = related.sentence
            and (
                (
                    related.metric_measure in ('amount', 'actual', 'final_amount')
                    and priors.figure_seq > related.figure_seq
                )
                or (related.metric_measure in ('yoy_change', 'yoy_pct') and priors.figure_seq < related.figure_seq)
            )
    qualify row_number() over (
        partition by
            priors.document_id, priors.figure_seq,
            case when related.metric_measure in ('yoy_change', 'yoy_pct') then related.metric_measure else 'current' end
        order by abs(related.figure_seq - priors.figure_seq)
    ) = 1
),

prior_statements as (
    select
        document_id,
        figure_seq,
        metric_key,
        any_value(source_line) as source_line,
        any_value(prior_wan) as prior_wan,
        any_value(prior_printed) as prior_printed,
        any_value(prior_half) as prior_half,
        max(value_wan) filter (where related_measure in ('amount', 'actual', 'final_amount')) as current_wan,
        max(value_printed) filter (where related_measure in ('amount', 'actual', 'final_amount')) as current_printed,
        max(half_wan) filter (where related_measure in ('amount', 'actual', 'final_amount')) as current_half,
        max(related_line) filter (where related_measure in ('amount', 'actual', 'final_amount')) as current_line,
        max(value_wan) filter (where related_measure = 'yoy_change') as change_wan,
        max(value_printed) filter (where related_measure = 'yoy_change') as change_printed,
        max(half_wan) filter (where related_measure = 'yoy_change') as change_half,
        max(related_line) filter (where related_measure = 'yoy_change') as change_line,
        max(value_ratio) filter (where related_measure = 'yoy_pct') as pct_ratio,
        max(value_printed) filter (where related_measure = 'yoy_pct') as pct_printed,
        max(ratio_decimals) filter (where related_measure = 'yoy_pct') as pct_decimals,
        max(related_line) filter (where related_measure = 'yoy_pct') as pct_line
    from prior_sides
    group by document_id, figure_seq, metric_key
),

prior_changes as (
    select
        'narr_yoy_explicit_prior_change' as rule_id,
        document_id,
        '情况说明:' || metric_key || ':#' || figure_seq as scope,
        '{{ this.name }}' as evaluated_by,
        '情况说明' as source_table,
        change_line as source_line,
        'yoy_change' as measure,
        '情况说明 stated change ' || change_printed as lhs_label,
        change_wan as lhs_value,
        '情况说明 current ' || coalesce(current_printed, 'not stated') || ' − prior ' || prior_printed as rhs_label,
        current_wan - prior_wan as rhs_value,
        cast(change_line as varchar) as lhs_source_lines,
        {{ merge_lines(['current_line', 'source_line']) }} as rhs_source_lines,
        -- half a unit of each of the three printed amounts
        change_half + prior_half + coalesce(current_half, 0) as envelope,
        case when current_wan is null then 'side_not_printed' end as not_evaluable_reason
    from prior_statements
    where change_wan is not null
),

prior_pcts as (
    select
        'narr_yoy_explicit_prior_pct' as rule_id,
        document_id,
        '情况说明:' || metric_key || ':#' || figure_seq as scope,
        '{{ this.name }}' as evaluated_by,
        '情况说明' as source_table,
        pct_line as source_line,
        'yoy_pct' as measure,
        '情况说明 stated ' || pct_printed || '%' as lhs_label,
        pct_ratio as lhs_value,
        '情况说明 (current ' || coalesce(current_printed, 'not stated') || ' − prior ' || prior_printed
        || ') / prior' as rhs_label,
        {{ rate_as_compared('current_wan - prior_wan', 'prior_wan', 'pct_ratio', 'pct_decimals') }} as rhs_value,
        cast(pct_line as varchar) as lhs_source_lines,
        {{ merge_lines(['current_line', 'source_line']) }} as rhs_source_lines,
        -- half a unit of the printed %, plus the spread of current / prior over their half
        -- units, (h_current + |current / prior| × h_prior) / (prior − h_prior), rounded up to
        -- the 6 decimals the recomputed ratio is kept at
        case
            when abs(prior_wan) > prior_half and current_wan is not null
                then cast(
                    cast(0.5 / pow(10, pct_decimals) as decimal(18, 6))
                    + ceil(
                        (current_half + abs(current_wan / prior_wan) * prior_half)
                        / (abs(prior_wan) - prior_half) * 1000000
                    ) / 1000000
                    as decimal(18, 6)
                )
        end as envelope,
        case
            when current_wan is null then 'side_not_printed'
            when prior_wan = 0 then 'zero_denominator'
        end as not_evaluable_reason
    from prior_statements
    where pct_ratio is not null
)

select * from names_match
union all
select * from fund_amounts
union all
select * from prior_changes
union all
select * from prior_pcts
