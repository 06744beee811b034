-- The documents of each load.
{{ history_rows('load_documents', [
    ('load_id', 'varchar'),
    ('document_id', 'varchar'),
    ('document_kind', 'varchar'),
    ('department_name', 'varchar'),
    ('fiscal_year', 'integer'),
    ('source_file', 'varchar'),
    ('source_sha256', 'varchar'),
    ('line_count', 'integer'),
]) }}
