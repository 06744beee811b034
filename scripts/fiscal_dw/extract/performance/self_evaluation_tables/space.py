"""项目支出绩效自评表, 自评情况汇总表 and 预算执行明细表 of a document printed in the space layout.

Four raw tables (see docs/raw_tables_performance.md): ``raw_self_evaluations``,
``raw_performance_indicators``, ``raw_self_evaluation_summaries`` and
``raw_budget_execution_lines``.

In the space layout a PDF table comes out as a stream of text fragments: cells on one line
are separated by spaces, a cell that wraps continues on the next line(s), blank lines
carry no meaning, a line starting with one space is a page start, and header cells break
mid-token (``全年执行数（`` / ``B）``). Nothing here uses positions, line numbers or names
of a particular document; every table is read from its own structure:

- **Tables** are found by their title line (``…项目支出绩效自评表``, ``…绩效自评情况汇总表``,
  ``表N …预算执行明细表``) followed by the table's own first structure (项目名称 / 序号). A
  table runs to the next table (or the ``附件N`` line above it).
- **自评表**: 项目名称 / 主管部门 / 项目实施单位 / 联系电话 are key–value tokens; the funding
  header is read as text and gives the column order of the 年度资金总额 row; the four
  funding rows are label-anchored token runs (``其中：当年财政拨款 800 800 800 - -``: the
  amounts, then the two ``-`` placeholders of the 分值/执行率/得分 cells, which are not
  amounts and are not stored). 年度总体目标 and its two free-text cells are skipped (not part
  of the raw schema), then the indicator header, then the indicator block up to 小计 and
  总分. The closing ``总分在80分以下…说明：`` box and the 注 lines are skipped; a text written
  inside that box is rejected (not stored).
- **Indicator rows** are anchored on the right: a line whose last two tokens are numbers is
  a *value line* (分值, 得分). The tokens left of them are, from the right, 实际完成值,
  年度指标值 and the 三级指标 name; the cells a value line lacks were printed on the lines
  above it (a wrapped name, a target that drifted up) and are taken from the pending
  fragments. When those fragments must be split into several cells (a multi-line name
  followed by a multi-line target…), a space on a line is a cell boundary and the remaining
  boundaries are chosen so that every cell reads as wrapped text: all its lines but the
  last equally wide (a column's wrap width), the last one shorter, and no cell ending in
  the middle of a clause (on '、', '，', an opening bracket…).
- **Hierarchy labels** (一级/二级) are the national template's labels, possibly printed
  one character per line (``产``/``出``/``指``/``标``) or wrapped (``社会效益``/``指标``), with
  the embedded points stripped (``成本指标（10分）`` → ``成本指标``); they are forward-filled.
- **偏差原因分析** is what follows a value line in the narrow last column: one-line
  fragments no wider than that column's header (plus slack), up to the fragment that ends a
  sentence (``。``). A sentence end fused with the next label (``指标值。满意度``) or with the
  next name on a value line is split there. Text after the note's sentence end that no
  value line takes before the next label continues the note. When a value line lacks cells
  and the note is still open, the split between the note and the new row's cells is chosen
  by the wrapped-text rule, preferring the new row on a tie.
- A row printed as ``指标1： 无`` (an empty indicator slot: no name, no values) is not an
  indicator and is not stored; any other text under a label without a 分值 · 得分 pair is
  rejected. The indicator header (or the vertical 年度绩效指标 label) reprinted after a
  page break is skipped.
- A value line whose only text cell holds the target inside the name
  (``…响应时间≤2秒 2秒 3.63 3.63``) keeps the printed text as the name and the part from the
  comparison operator on as ``target_text``.
- **汇总表**: the column order is read from the header (附件3 and 附件7 differ), a row
  starts at its 序号 and ends at its value run (3 amounts, 得分, 等级, 发现问题, and an
  unlabelled trailing ``%`` = execution_rate); the wrapped text cells in front are split by
  the same wrapped-text rule, anchored on the 项目类别 value when the header lists the
  categories (``项目类别（特定目标类/其他运转类）``).
- **预算执行明细表**: 序号, unit name (wrapped, with the 序号 alone on its line), then the
  amounts and the rate in header order; the 合计 row (which carries a 序号 too) is the
  ``total`` row and ends the table. The amounts' unit is never printed in that table: it
  is set to ``元`` only when the document's own text states one of the total row's amounts
  in 万元 (``…25,001.358 万元`` = 250,013,581.20 / 10,000 at the stated precision), to
  ``万元`` when the text states it as is, and left empty otherwise.

Every line inside a recognised table either becomes part of a raw row, is structure that
is read but not stored (listed above), or becomes a Reject.
"""
from __future__ import annotations

from fiscal_dw.extract.documents import SourceDocument
from fiscal_dw.extract.performance.self_evaluation_tables.space_budget_lines import parse_budget_lines
from fiscal_dw.extract.performance.self_evaluation_tables.space_evaluation import EvaluationParser
from fiscal_dw.extract.performance.self_evaluation_tables.space_summaries import parse_summary
from fiscal_dw.extract.performance.self_evaluation_tables.space_tables import locate_tables
from fiscal_dw.extract.rows import Extracted


def extract_space_self_evaluations(document: SourceDocument) -> Extracted:
    """Self-evaluation tables, indicator rows, summary tables and 预算执行明细表 of a space-layout document.

    Returns raw rows for ``raw_self_evaluations``, ``raw_performance_indicators``,
    ``raw_self_evaluation_summaries`` and ``raw_budget_execution_lines`` (every value as
    printed; ``project_seq`` / ``indicator_seq`` / ``row_seq`` are ordinals in document
    order) and a Reject for every line inside these tables that could not be placed.
    Tables whose lines are tab-separated are left to the tab-layout extractor.
    """
    result = Extracted()
    project_seq = summary_seq = execution_seq = 0
    for table in locate_tables(document):
        if table.kind == "evaluation":
            project_seq += 1
            EvaluationParser(document, table, project_seq, result).parse()
        elif table.kind == "summary":
            summary_seq = parse_summary(document, table, summary_seq, result)
        else:
            execution_seq = parse_budget_lines(document, table, execution_seq, result)
    return result
