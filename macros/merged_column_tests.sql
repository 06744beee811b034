{#-
    The column tests declared in the models' YAML (not_null, accepted_values, unique,
    relationships, unique_combination_of_columns, amount_is_parsed), evaluated set-based:
    `tests/assert_column_tests_<layer>.sql` is one dbt test node instead of one per declared test,
    and each model is scanned once for all of its row-wise tests (not_null, accepted_values,
    amount_is_parsed). Each declared test keeps its meaning and its failure count (rows,
    or duplicated keys for the uniqueness tests, as dbt counts them); a failing one is a row
    (test_name, failures). One such test per layer (`layer`: seeds, staging, intermediate,
    marts): a single query over every model plans slower than a few smaller ones.

    `fiscal-dw run` names the tests merged here in FISCAL_DW_MERGED_TESTS (comma-separated
    unique ids, see scripts/fiscal_dw/load/merged_tests.py) and leaves those nodes out of
    its dbt command; without it (a plain `dbt build`) this test checks nothing and the
    declared tests run one by one. docs/quality_checks.md lists what is merged.
-#}
{% macro merged_column_tests(layer) -%}
    {%- set wanted = env_var('FISCAL_DW_MERGED_TESTS', '') if execute else '' -%}
    {%- set wanted = wanted.split(',') if wanted else [] -%}
    {%- set by_model = {} -%}
    {%- set sets = [] -%}
    {%- for test_id in wanted -%}
        {%- set test = graph.nodes.get(test_id) -%}
        {%- if test is not none -%}
            {%- set model = graph.nodes.get(test.attached_node) -%}
            {%- set model_layer = 'seeds' if model.resource_type == 'seed' else model.fqn[1] -%}
            {%- if model_layer == layer -%}
                {%- do by_model.setdefault(test.attached_node, []).append(test) -%}
            {%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {#- a view (staging on the committed seeds) is computed once, not once per test -#}
    {%- set relations = {} -%}
    {%- set views = [] -%}
    {%- for model_id in by_model -%}
        {%- set model = graph.nodes[model_id] -%}
        {%- set relation = api.Relation.create(database=model.database, schema=model.schema,
                                               identifier=model.alias) | string -%}
        {%- if model.config.materialized == 'view' -%}
            {%- set name = 'merged_view_' ~ loop.index -%}
            {%- do views.append(name ~ ' as materialized (select * from ' ~ relation ~ ')') -%}
            {%- set relation = name -%}
        {%- endif -%}
        {%- do relations.update({model_id: relation}) -%}
    {%- endfor -%}
    {%- set parts = [] -%}
    {%- for model_id, tests in by_model.items() -%}
        {%- set relation = relations[model_id] -%}
        {%- set row_wise = [] -%}
        {%- for test in tests -%}
            {%- set condition = _merged_row_condition(test) -%}
            {%- if condition -%}
                {%- set where = test.config.where -%}
                {%- do row_wise.append("{'test_name': '" ~ test.name ~ "', 'failures': count_if("
                    ~ ("(" ~ where ~ ") and " if where else "") ~ "(" ~ condition ~ "))}") -%}
            {%- else -%}
                {%- do parts.append(_merged_set_test(test, relation, relations)) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if row_wise -%}
            {%- do parts.append("select unnest([" ~ row_wise | join(",\n        ") ~ "], recursive := true) from "
                ~ relation) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if views %}
    with {{ views | join(",\n    ") }}
    {%- endif %}
    select test_name, failures
    from (
        {%- if parts %}
        {{ parts | join("\n        union all\n        ") }}
        {%- else %}
        select null::varchar as test_name, 0::bigint as failures where false
        {%- endif %}
    ) as merged
    where failures > 0
{%- endmacro %}

{#- The failing-row condition of a row-wise test; none for a test over sets of rows. -#}
{% macro _merged_row_condition(test) -%}
    {%- set kind = test.test_metadata.name -%}
    {%- set args = test.test_metadata.kwargs -%}
    {%- if kind == 'not_null' -%}
        {{ return(args.column_name ~ " is null") }}
    {%- elif kind == 'accepted_values' -%}
        {%- set quote = args.get('quote', true) -%}
        {%- set values = [] -%}
        {%- for value in args['values'] -%}
            {%- do values.append("'" ~ (value | string | replace("'", "''")) ~ "'" if quote else value | string) -%}
        {%- endfor -%}
        {{ return(args.column_name ~ " not in (" ~ values | join(", ") ~ ")") }}
    {%- elif kind == 'amount_is_parsed' -%}
        {%- set column = args.column_name -%}
        {%- set cell = args.get('cell_name') or column | replace('_wan', '') -%}
        {%- set printed = args.get('printed_column') or cell ~ '_printed' -%}
        {%- set missing = args.get('missing_cells_column', 'missing_cells') -%}
        {%- set condition = column ~ " is null and " ~ strip_amount_text(printed) ~ " <> ''" -%}
        {%- if missing -%}
            {%- set condition = condition ~ " and not " ~ is_missing_cell(missing, cell) -%}
        {%- endif -%}
        {{ return(condition) }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}

{#- A test over sets of rows (uniqueness, relationships): its failure count, as dbt counts it. -#}
{% macro _merged_set_test(test, relation, relations) -%}
    {%- set kind = test.test_metadata.name -%}
    {%- set args = test.test_metadata.kwargs -%}
    {%- set rows = "(select * from " ~ relation ~ (" where " ~ test.config.where if test.config.where else "")
        ~ ")" -%}
    {%- if kind == 'unique' -%}
        {%- set sql = "select " ~ args.column_name ~ " from " ~ rows ~ " as model where " ~ args.column_name
            ~ " is not null group by 1 having count(*) > 1" -%}
    {%- elif kind == 'unique_combination_of_columns' -%}
        {%- set sql = "select " ~ args.combination_of_columns | join(", ") ~ " from " ~ rows
            ~ " as model group by all having count(*) > 1" -%}
    {%- elif kind == 'relationships' -%}
        {%- set parent_id = test.depends_on.nodes | reject('equalto', test.attached_node) | first -%}
        {%- set parent = graph.nodes.get(parent_id) or graph.sources.get(parent_id) -%}
        {%- set parent_relation = relations.get(parent_id) or api.Relation.create(
            database=parent.database, schema=parent.schema, identifier=parent.alias or parent.identifier) -%}
        {%- set sql = "select child." ~ args.column_name ~ " from " ~ rows ~ " as child left join "
            ~ parent_relation ~ " as parent on child." ~ args.column_name ~ " = parent." ~ args.field
            ~ " where child." ~ args.column_name ~ " is not null and parent." ~ args.field ~ " is null" -%}
    {%- else -%}
        {{ exceptions.raise_compiler_error("merged_column_tests: cannot merge " ~ kind ~ " (" ~ test.name ~ ")") }}
    {%- endif -%}
    {{ return("select '" ~ test.name ~ "' as test_name, count(*) as failures from (" ~ sql ~ ") as failing") }}
{%- endmacro %}
