"""项目支出绩效自评表 (project self-evaluation tables) with their 自评情况汇总表 and, in the
space layout, 预算执行明细表: ``tab`` reads tab-separated tables, ``space`` tables exported
with spaces. A document holds either layout; each reader returns nothing when its layout
is absent."""
from __future__ import annotations

from fiscal_dw.extract.documents import SourceDocument
from fiscal_dw.extract.performance.self_evaluation_tables.space import extract_space_self_evaluations
from fiscal_dw.extract.performance.self_evaluation_tables.tab import extract_tab_self_evaluations
from fiscal_dw.extract.rows import Extracted


def extract_self_evaluation_tables(document: SourceDocument) -> Extracted:
    """The self-evaluation tables of both layouts, tab-separated ones first."""
    found = extract_tab_self_evaluations(document)
    found.extend(extract_space_self_evaluations(document))
    return found
