{#- 支出功能分类: 类 = 3 digits, 款 = 5, 项 = 7. Anything else has no level. -#}
{% macro function_subject_level(code) -%}
    case length({{ code }}) when 3 then 1 when 5 then 2 when 7 then 3 end
{%- endmacro %}

{#- A functional code's parent is its prefix one level up (7 -> 5 -> 3 digits). -#}
{% macro function_parent_code(code) -%}
    case length({{ code }}) when 5 then left({{ code }}, 3) when 7 then left({{ code }}, 5) end
{%- endmacro %}

{#- 经济分类: 类 = 3 digits, 款 = 5. -#}
{% macro economic_level(code) -%}
    case length({{ code }}) when 3 then 1 when 5 then 2 end
{%- endmacro %}

{% macro economic_parent_code(code) -%}
    case length({{ code }}) when 5 then left({{ code }}, 3) end
{%- endmacro %}

{#- 人员经费 = 301 工资福利 + 303 对个人和家庭的补助; every other class is 公用经费. -#}
{% macro economic_expense_category(code) -%}
    case when left({{ code }}, 3) in ('301', '303') then 'personnel' else 'public' end
{%- endmacro %}
