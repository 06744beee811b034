"""The answer key of a corpus (answer_key.json): the kinds of injection, what each document
holds, and every injected fault or rounding adjustment with the rule expected to report it."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path


ANSWER_KEY_FILE = "answer_key.json"
KEY_VERSION = 1
PDF_FIELDS = ("pdf_template", "pdf_pages", "cells_printed")  # written only for PDFs
FIRST_YEAR_DEFAULT_END = 2024  # the last fiscal year of a corpus is 2023

FAULT, ROUNDING = "fault", "rounding"
NARRATIVE_FAMILY = "narrative"  # the 情况说明 checks: a narrative fault names no single rule of it
TABLE_FAULT_KINDS = (
    "function_parent_off",       # a 款 printed off the sum of its 项
    "row_total_off",             # 合计 ≠ 基本支出 + 项目支出 on a row of 公开03/05
    "basic_05_vs_06",            # 公开06 (internally consistent) ≠ 公开05 基本支出
    "three_public_subtotal_off",  # a 公开09 小计 / 合计 off its items
    "income_02_vs_04",           # 公开02 合计 财政拨款 (row consistent) ≠ 公开04 本年收入合计
    "fund_rollforward_off",      # a 公开04 年初结转 fund sub-line: 收入 + 年初 ≠ 支出 + 年末
    "empty_table_note_missing",  # the empty 公开08 printed without its 无数据 note
    "table_left_out",            # one of the nine tables not printed at all (title and rows)
)
NARRATIVE_FAULT_KINDS = (
    "narrative_total_off",       # a total restated in the prose ≠ the table
    "narrative_share_wrong",     # a share (占 %) wrong in the prose
    "narrative_rate_wrong",      # a per-项 completion rate (完成年初预算的 %) wrong
    "narrative_restated_amount_differs",   # 五(二) restates 五(一)'s 一般公共预算财政拨款支出 differently
    "narrative_three_public_item_missing",  # a 三公 item spent (公开09 > 0) with no amount stated
    "narrative_reception_counts_missing",   # 公务接待费 > 0 without its 批次 / 人次
    "narrative_direction_word_wrong",       # 决算数大于 / 小于 年初预算数 the other way round from the figures
    "narrative_reason_dropped",             # a 项 off 100 % by more than 1 pp with no reason given
    "narrative_fund_none_despite_spending",  # 无…政府性基金… stated while 公开07 spends
    "narrative_fund_amount_off",            # a 政府性基金 项's amount ≠ its 公开07 本年支出
    "narrative_prior_change_inconsistent",  # a printed prior-year amount ≠ current − the stated change
    "narrative_name_differs",               # a 项 path's 类 name ≠ 公开05's
)
ROUNDING_KINDS = (
    "rounding_function_child",   # a 项 cell adjusted by 0.01 (款 vs 项 off by 0.01)
    "rounding_economic_total",   # a 公开06 printed total adjusted by 0.01
    "rounding_three_public",     # the 公开09 合计 adjusted by 0.01
)


@dataclass
class Injection:
    """One injected fault or rounding adjustment, and what must report it."""

    file: str
    department: str
    fiscal_year: int
    kind: str
    severity: str                 # 'fault' or 'rounding'
    rule_family: str
    rule_id: str | None           # None: any rule of the narrative family; else that rule
    table: str
    scope: list[str]
    description: str
    printed_before: str = ""
    printed_after: str = ""
    difference: str | None = None  # lhs − rhs of the target identity after injection (万元)
    also_rules: list[str] = field(default_factory=list)      # other identities the change breaks
    also_families: list[str] = field(default_factory=list)


@dataclass
class DocumentKey:
    file: str
    department: str
    fiscal_year: int
    layout: str
    features: dict[str, bool]
    expected_rows: dict[str, int]
    # identities off by two display steps (the tolerance) from rounding alone, not injected:
    # 尾差调整 keeps clean documents within the tolerance, so never more than two
    rounding_drifts: list[dict] = field(default_factory=list)
    # a PDF rendering (--format pdf/both): its template, pages and amount cells printed
    pdf_template: str = ""
    pdf_pages: int = 0
    cells_printed: int = 0


@dataclass
class AnswerKey:
    seed: int
    departments: int
    years: int
    fault_rate: float
    documents: list[DocumentKey] = field(default_factory=list)
    injections: list[Injection] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"generator": "fiscal_dw.synth", "version": KEY_VERSION, "seed": self.seed,
                "departments": self.departments, "years": self.years,
                "fault_rate": self.fault_rate,
                "documents": [{k: v for k, v in d.__dict__.items() if v or k not in PDF_FIELDS}
                              for d in self.documents],
                "injections": [dict(i.__dict__) for i in self.injections]}

    @classmethod
    def from_json(cls, data: dict) -> AnswerKey:
        return cls(seed=data["seed"], departments=data["departments"], years=data["years"],
                   fault_rate=data["fault_rate"],
                   documents=[DocumentKey(**d) for d in data["documents"]],
                   injections=[Injection(**i) for i in data["injections"]])

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> AnswerKey:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))

    def faults(self, family: str | None = None) -> list[Injection]:
        return [i for i in self.injections if i.severity == FAULT
                and (family is None or i.rule_family == family)]
