-- Rows per raw table in each load.
{{ history_rows('load_row_counts', [
    ('load_id', 'varchar'),
    ('raw_table', 'varchar'),
    ('row_count', 'bigint'),
]) }}
