-- The column tests declared in the YAML of the staging, evaluated set-based in one test node
-- by `fiscal-dw run` (macros/merged_column_tests.sql; docs/quality_checks.md): one row per
-- failing declared test with its failure count.
{{ config(fail_calc='coalesce(sum(failures), 0)') }}

{{ merged_column_tests('staging') }}
