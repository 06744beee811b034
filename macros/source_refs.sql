{#-
    Where a check's figure is printed, so a reader can open the document there. A row of a
    standard table read from a PDF has a page and a row on that page (`source_line`), and
    row 5 exists on every page: its reference is `p<page>:r<row>` (p12:r5). Other rows are
    referenced by their line. The int_recon_* models write the page wherever the row has
    one; page text (pdfplumber's text, whose line numbers are document lines) carries a page
    too, so fct_reconciliation_checks keeps `p…:r` only for PDF documents (macro
    document_line_refs) and text input reads as it always did.
-#}
{% macro source_ref(line, page) -%}
    case
        when {{ page }} is null then cast({{ line }} as varchar)
        else 'p' || {{ page }} || ':r' || {{ line }}
    end
{%- endmacro %}

{#-
    Distinct source references of the rows aggregated, in page then line order, comma-separated.
    Sorted as zero-padded text (p000012:r000005), then unpadded: no lambda, so sqlfluff reads it.
-#}
{% macro source_refs(line, page, condition='true') -%}
    regexp_replace(
        array_to_string(list_sort(list_distinct(list(
            case
                when {{ page }} is null then lpad(cast({{ line }} as varchar), 10, '0')
                else 'p' || lpad(cast({{ page }} as varchar), 6, '0') || ':r' || lpad(cast({{ line }} as varchar), 6, '0')
            end
        ) filter (where {{ condition }}))), ','),
        '(^|,|p|:r)0+([0-9])', '\1\2', 'g'
    )
{%- endmacro %}

{#-
    A reference list as the reader of the document needs it: a PDF's keeps its pages, a text
    document's gives its lines (`p3:r120` -> `120`: page text's row number is a document line).
-#}
{% macro document_line_refs(refs, is_pdf) -%}
    case when {{ is_pdf }} then {{ refs }} else regexp_replace({{ refs }}, 'p[0-9]+:r', '', 'g') end
{%- endmacro %}
