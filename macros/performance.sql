{#-
    Parsing and exact arithmetic for the project-performance tables (self-evaluations,
    indicators, summaries, evaluation reports). Values arrive as printed text.
-#}

{#- Printed number -> decimal(18,6); null when nothing (or only a '-' / '——' placeholder)
    was printed. Separators and whitespace are removed first. -#}
{% macro parse_number(column) -%}
    try_cast(nullif(regexp_replace({{ strip_amount_text(column) }}, '^[-—–]+$', ''), '') as decimal(18, 6))
{%- endmacro %}

{#- Points as printed in score tables ("10分", "14.00%", "96.5"): the number, unit dropped. -#}
{% macro parse_points(column) -%}
    {{ parse_number("regexp_replace(coalesce(" ~ column ~ ", ''), '[分%％]', '', 'g')") }}
{%- endmacro %}

{#- Digits after the decimal point of a printed number ("99.21%" -> 2, "1" -> 0). -#}
{% macro printed_decimals(column) -%}
    length(regexp_extract({{ strip_amount_text(column) }}, '\.(\d+)', 1))
{%- endmacro %}

{#- A printed amount in `unit_column` (万元 or 元) as decimal(18,6) 万元: 元 / 10000 is exact
    at 6 decimals for amounts printed to the fen. -#}
{% macro amount_wan(column, unit_column) -%}
    cast(
        case when {{ unit_column }} = '元' then {{ parse_number(column) }} * cast(0.0001 as decimal(5, 4))
            else {{ parse_number(column) }}
        end as decimal(18, 6))
{%- endmacro %}

{#-
    Execution rate as printed -> ratio. Printed forms: "99.21%", "1", "1.00", "0.94", "100".
    A value with a % sign, or a bare value above 1.5, is a percentage (Jincheng prints
    "100" for 100 %); a bare value up to 1.5 is already a ratio (Qingdao prints "1",
    "0.94"). `rate_decimals` gives the precision of the ratio as printed ("99.21%" -> 4,
    "100" -> 2, "1" -> 0, "1.00" -> 2), which is where a recomputed rate is compared.
-#}
{% macro rate_is_percent(column) -%}
    (strpos(coalesce({{ column }}, ''), '%') > 0 or strpos(coalesce({{ column }}, ''), '％') > 0
        or {{ parse_points(column) }} > 1.5)
{%- endmacro %}

{% macro rate_ratio(column) -%}
    cast(
        case when {{ rate_is_percent(column) }} then {{ parse_points(column) }} * cast(0.01 as decimal(3, 2))
            else {{ parse_points(column) }}
        end as decimal(18, 6))
{%- endmacro %}

{% macro rate_decimals(column) -%}
    cast(case when {{ parse_points(column) }} is not null then
        {{ printed_decimals(column) }} + case when {{ rate_is_percent(column) }} then 2 else 0 end
    end as integer)
{%- endmacro %}

{#-
    numerator / denominator rounded half-up (away from zero) to `decimals` places
    (a constant or a column, 0–6), exactly, as decimal(18,6). DuckDB divides decimals in
    double precision (79.8 / 80 * 10 = 9.974999…, which rounds to 9.97), so the quotient
    is taken in 128-bit integers: both sides scaled by 10^12, the quotient truncated to 12
    decimals, then rounded. Truncating first cannot move a value across a rounding
    boundary of fewer decimals, so the result is the exact half-up rounding.
    Null when either side is null or the denominator is 0 (undefined, never invented).
-#}
{% macro exact_ratio(numerator, denominator, decimals=6) -%}
    {%- set n -%} cast(cast(({{ numerator }}) as decimal(38, 12)) * 1000000000000 as hugeint) {%- endset -%}
    {%- set d -%} cast(cast(({{ denominator }}) as decimal(38, 12)) * 1000000000000 as hugeint) {%- endset -%}
    {%- set k -%} cast(({{ decimals }}) as integer) {%- endset -%}
    case
        when ({{ numerator }}) is null or ({{ denominator }}) is null or ({{ denominator }}) = 0 then null
        else cast(
            cast(
                sign({{ n }}) * sign({{ d }})
                * (
                    (abs({{ n }}) * cast(1000000000000 as hugeint) // abs({{ d }})
                        + 5 * cast(power(10, 11 - {{ k }}) as hugeint))
                    // cast(power(10, 12 - {{ k }}) as hugeint)
                )
                * cast(power(10, 6 - {{ k }}) as hugeint)
                as decimal(38, 0)
            ) * cast(0.000001 as decimal(7, 6))
            as decimal(18, 6)
        )
    end
{%- endmacro %}

{#- Half-up rounding of a decimal to `decimals` places when `decimals` is a column. -#}
{% macro round_half_up(value, decimals) -%}
    {{ exact_ratio(value, 1, decimals) }}
{%- endmacro %}

{#- Grade words as printed -> 优 / 良 / 中 / 差 (quotes and 秀/好/等 dropped); null when none. -#}
{% macro normalise_grade(column) -%}
    case regexp_replace(coalesce({{ column }}, ''), '[\s“”"''「」]', '', 'g')
        when '优' then '优' when '优秀' then '优'
        when '良' then '良' when '良好' then '良'
        when '中' then '中' when '中等' then '中' when '合格' then '中' when '一般' then '中'
        when '差' then '差' when '较差' then '差' when '不合格' then '差'
    end
{%- endmacro %}

{#- Grade by the common bands: 优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60 (domain notes). -#}
{% macro grade_for_score(score) -%}
    case
        when {{ score }} is null then null
        when {{ score }} >= 90 then '优'
        when {{ score }} >= 80 then '良'
        when {{ score }} >= 60 then '中'
        else '差'
    end
{%- endmacro %}

{#- Grades as numbers so a grade check fits the numeric check shape: 优 4, 良 3, 中 2, 差 1. -#}
{% macro grade_rank(grade) -%}
    case {{ grade }} when '优' then 4 when '良' then 3 when '中' then 2 when '差' then 1 end
{%- endmacro %}

{#-
    Indicator target / actual text -> one comparator glyph, no whitespace:
    "$\geq 90\%$" -> "≥90%", ">=5" -> "≥5", "小于等于2023年12月20日" -> "≤2023年12月20日",
    "＞95%" -> ">95%", "不少于 5 人" -> "≥5人".
-#}
{% macro normalise_indicator_value(column) -%}
    regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
        regexp_replace(coalesce({{ column }}, ''), '[\s\x{3000}\x{00a0}$]', '', 'g'),
        '\\geqslant|\\geq|\\ge|>=|≧|⩾|大于或?等于|不少于|不低于|不小于', '≥', 'g'),
        '\\leqslant|\\leq|\\le|<=|≦|⩽|小于或?等于|不超过|不高于|不大于|不多于', '≤', 'g'),
        '\\gt|＞|大于', '>', 'g'),
        '\\lt|＜|小于', '<', 'g'),
        '＝', '=', 'g'),
        '\\%|％', '%', 'g'),
        '[{}\\]', '', 'g')
{%- endmacro %}

{#- Groups: 1 comparator, 2 number, 3 what follows (the unit, when it is one). -#}
{% macro indicator_value_pattern() -%}
    ^(≥|≤|>|<|=)?(\d+(?:\.\d+)?)(.*)$
{%- endmacro %}

{#- A unit is short and holds no digits or sentence punctuation ("万元", "次/天", "A级"). -#}
{% macro is_unit(column) -%}
    (length({{ column }}) <= 8 and not regexp_matches({{ column }}, '[\d，,。；;：:、（）()]'))
{%- endmacro %}

{#- Power of ten of a unit's magnitude prefix: 亿… 8, 万… 4, otherwise 0. -#}
{% macro unit_exponent(column) -%}
    case when {{ column }} like '亿%' then 8 when {{ column }} like '万%' then 4 else 0 end
{%- endmacro %}

{#- Factor taking a value in `from_unit` to `to_unit` by their magnitude prefixes (exact decimals). -#}
{% macro unit_magnitude_factor(from_unit, to_unit) -%}
    case {{ unit_exponent(from_unit) }} - {{ unit_exponent(to_unit) }}
        when 0 then cast(1 as decimal(18, 8))
        when 4 then cast(10000 as decimal(18, 8))
        when 8 then cast(100000000 as decimal(18, 8))
        when -4 then cast(0.0001 as decimal(18, 8))
        when -8 then cast(0.00000001 as decimal(18, 8))
    end
{%- endmacro %}

{#- A decimal for a check label without trailing zeros ("142.860000" -> "142.86"); ∅ for null. -#}
{% macro number_text(value) -%}
    coalesce(regexp_replace(regexp_replace(cast({{ value }} as varchar), '(\.\d*?)0+$', '\1'), '\.$', ''), '∅')
{%- endmacro %}
