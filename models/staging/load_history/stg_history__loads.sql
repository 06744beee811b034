-- Loads, one row each; no row before the first load is recorded.
{{ history_rows('loads', [
    ('load_id', 'varchar'),
    ('started_at', 'timestamp'),
    ('finished_at', 'timestamp'),
    ('source_kind', 'varchar'),
    ('source_path', 'varchar'),
    ('extractor_version', 'varchar'),
    ('document_set_sha256', 'varchar'),
    ('warehouse_path', 'varchar'),
]) }}
