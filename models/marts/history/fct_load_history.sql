-- One row per load: when it ran, from what, and how its checks came out, with the
-- status changes against the load before. Loading the same documents again gives a new
-- row with same_documents_as_previous true and zero status changes.
with loads as (
    select * from {{ ref('int_loads_sequenced') }}
),

documents as (
    select
        load_id,
        count(*) as documents_total,
        count(*) filter (where document_kind = 'final_accounts') as final_accounts_total,
        count(*) filter (where change_since_previous = 'changed') as documents_changed
    from {{ ref('fct_load_documents') }}
    group by load_id
),

row_counts as (
    select
        load_id,
        cast(coalesce(sum(row_count) filter (
            where raw_table not in ('raw_documents', 'raw_extract_rejects')
        ), 0) as bigint) as raw_rows_total,
        cast(coalesce(sum(row_count) filter (where raw_table = 'raw_extract_rejects'), 0) as bigint) as rejects_total
    from {{ ref('stg_history__load_row_counts') }}
    group by load_id
),

input_messages as (
    select
        load_id,
        count(*) filter (where severity = 'error') as files_not_loaded,
        count(*) filter (where severity = 'warning') as input_warnings
    from {{ ref('fct_load_messages') }}
    group by load_id
),

checks as (
    select
        load_id,
        count(*) as checks_total,
        count(*) filter (where status = 'pass') as checks_pass,
        count(*) filter (where status = 'rounding') as checks_rounding,
        count(*) filter (where status = 'fail') as checks_fail,
        count(*) filter (where status = 'fail' and severity = 'error') as checks_fail_error,
        count(*) filter (where status = 'not_evaluable') as checks_not_evaluable,
        count(*) filter (where status_change = 'new') as checks_new,
        count(*) filter (where status_change = 'changed') as checks_changed
    from {{ ref('fct_check_history') }}
    group by load_id
),

removed as (
    select
        loads.load_id,
        count(*) as checks_removed
    from loads
    inner join {{ ref('fct_check_history') }} as previous_checks
        on loads.previous_load_id = previous_checks.load_id
    left join {{ ref('fct_check_history') }} as current_checks
        on
            loads.load_id = current_checks.load_id
            and previous_checks.check_key = current_checks.check_key
    where current_checks.check_key is null
    group by loads.load_id
)

select
    loads.load_id,
    loads.load_seq,
    loads.started_at,
    loads.finished_at,
    cast(date_diff('millisecond', loads.started_at, loads.finished_at) / 1000.0 as decimal(18, 3))
        as duration_seconds,
    loads.source_kind,
    loads.source_path,
    loads.extractor_version,
    loads.document_set_sha256,
    loads.previous_load_id,
    coalesce(loads.document_set_sha256 = loads.previous_document_set_sha256, false) as same_documents_as_previous,
    coalesce(documents.documents_total, 0) as documents_total,
    coalesce(documents.final_accounts_total, 0) as final_accounts_total,
    coalesce(documents.documents_changed, 0) as documents_changed,
    coalesce(row_counts.raw_rows_total, 0) as raw_rows_total,
    coalesce(row_counts.rejects_total, 0) as rejects_total,
    coalesce(input_messages.files_not_loaded, 0) as files_not_loaded,
    coalesce(input_messages.input_warnings, 0) as input_warnings,
    coalesce(checks.checks_total, 0) as checks_total,
    coalesce(checks.checks_pass, 0) as checks_pass,
    coalesce(checks.checks_rounding, 0) as checks_rounding,
    coalesce(checks.checks_fail, 0) as checks_fail,
    coalesce(checks.checks_fail_error, 0) as checks_fail_error,
    coalesce(checks.checks_not_evaluable, 0) as checks_not_evaluable,
    coalesce(checks.checks_new, 0) as checks_new,
    coalesce(checks.checks_changed, 0) as checks_changed,
    coalesce(removed.checks_removed, 0) as checks_removed,
    loads.load_seq = max(loads.load_seq) over () as is_latest
from loads
left join documents on loads.load_id = documents.load_id
left join row_counts on loads.load_id = row_counts.load_id
left join input_messages on loads.load_id = input_messages.load_id
left join checks on loads.load_id = checks.load_id
left join removed on loads.load_id = removed.load_id
