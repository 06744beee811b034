-- What the extractor said about each load's input files.
{{ history_rows('load_messages', [
    ('load_id', 'varchar'),
    ('message_seq', 'integer'),
    ('severity', 'varchar'),
    ('source_file', 'varchar'),
    ('document_id', 'varchar'),
    ('source_table', 'varchar'),
    ('source_line', 'integer'),
    ('message', 'varchar'),
]) }}
