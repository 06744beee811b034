with source as (
    select * from {{ source('load_history', 'check_results') }}
),

renamed as (
    select
        cast(load_id as varchar) as load_id,
        cast(check_id as varchar) as check_id,
        cast(rule_id as varchar) as rule_id,
        cast(rule_family as varchar) as rule_family,
        cast(rule_domain as varchar) as rule_domain,
        cast(severity as varchar) as severity,
        cast(document_id as varchar) as document_id,
        cast(document_kind as varchar) as document_kind,
        cast(department_name as varchar) as department_name,
        cast(fiscal_year as integer) as fiscal_year,
        cast(scope as varchar) as scope,
        cast(lhs_label as varchar) as lhs_label,
        cast(lhs_value as decimal(18, 6)) as lhs_value,
        cast(rhs_label as varchar) as rhs_label,
        cast(rhs_value as decimal(18, 6)) as rhs_value,
        cast(value_unit as varchar) as value_unit,
        cast(difference as decimal(18, 6)) as difference,
        cast(tolerance as decimal(18, 6)) as tolerance,
        cast(status as varchar) as status,
        cast(lhs_source_lines as varchar) as lhs_source_lines,
        cast(rhs_source_lines as varchar) as rhs_source_lines
    from source
)

select * from renamed
