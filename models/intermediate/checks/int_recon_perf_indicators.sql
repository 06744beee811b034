-- Indicator rows: the printed 得分 against the printed scoring rule (int_perf_indicators_scored;
-- rows whose score cannot be computed are not checked — see their score_basis), and a
-- 偏差原因 for every score below its 分值.
with indicators as (
    select * from {{ ref('int_perf_indicators_scored') }}
),

score_rule as (
    select
        'perf_indicator_score_rule' as rule_id,
        document_id,
        source_table || ':' || project_seq || ':' || indicator_seq as scope,
        '{{ this.name }}' as evaluated_by,
        source_table,
        source_line,
        cast(null as varchar) as measure,
        coalesce(indicator_name, '') || ' 得分 as printed' as lhs_label,
        score_printed as lhs_value,
        case score_basis
            when 'positive_ratio'
                then 'min(' || {{ number_text('actual_value') }} || ' / ' || {{ number_text('target_value') }} || ', 1)'
            else 'min(' || {{ number_text('target_value') }} || ' / ' || {{ number_text('actual_value') }} || ', 1)'
        end || ' × 分值 ' || {{ number_text('weight') }} || ' (target ' || coalesce(target_operator, '')
        || {{ number_text('target_value') }} || coalesce(target_unit, '') || ', actual '
        || coalesce(actual_text, '') || ')' as rhs_label,
        score_computed as rhs_value,
        cast(source_line as varchar) as lhs_source_lines,
        cast(source_line as varchar) as rhs_source_lines
    from indicators
    where score_computed is not null
),

deviation_note as (
    select
        'perf_indicator_deviation_note' as rule_id,
        document_id,
        source_table || ':' || project_seq || ':' || indicator_seq as scope,
        '{{ this.name }}' as evaluated_by,
        source_table,
        source_line,
        cast(null as varchar) as measure,
        coalesce(indicator_name, '') || ' 得分 ' || {{ number_text('score_printed') }} || ' < 分值 '
        || {{ number_text('weight') }} || ': 偏差原因 printed (1 yes, 0 no)' as lhs_label,
        case when deviation_note is not null then 1 else 0 end as lhs_value,
        'a note is required' as rhs_label,
        1 as rhs_value,
        cast(source_line as varchar) as lhs_source_lines,
        cast(source_line as varchar) as rhs_source_lines
    from indicators
    where score_printed < weight
)

select * from score_rule
union all
select * from deviation_note
