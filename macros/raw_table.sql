{#-
    The relation a staging model reads its raw table from.

    - `raw_from: seed` (default): the dbt seed, as for the committed sample;
    - `raw_from: files`: the extractor's CSV read by DuckDB directly through the
      `extract_files` source (models/staging/extract/_extract__sources.yml), so a large corpus
      is not pushed through dbt's seed loader. The same staging models serve both.
-#}
{% macro raw_table(name) -%}
    {%- if var('raw_from', 'seed') == 'files' -%}
        {{ source('extract_files', name) }}
    {%- else -%}
        {{ ref(name) }}
    {%- endif -%}
{%- endmacro %}
