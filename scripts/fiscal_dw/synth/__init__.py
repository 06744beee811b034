"""Synthetic corpus of department final accounts, with injected faults and an answer key.

    python -m fiscal_dw.synth --out DIR --departments N --years Y --fault-rate F --seed S

`generate_corpus` writes N departments × Y years of final-accounts documents (`.txt`) in
the two layouts seen in real exports — tab-separated (like Jinan's) and space-separated
with wrapped cells, broken headers, page-start lines, 公开06 groups shifting left and
headers reprinted after page breaks (like Qingdao's) — and `answer_key.json` beside them.
Some departments carry 政府性基金 money (non-empty 公开07), carry-overs (年初/年末结转),
non-appropriation income, and (tab layout) 项目支出绩效自评表 with their 汇总表 in 第五部分
(one or two per 项 with appropriation-funded project spending, so Σ 执行数 = 公开05 + 公开07
项目支出); every document has the 第三部分 情况说明 restating totals, shares, per-项 年初预算 /
决算 / 完成率 and 三公.

How the numbers are made: every amount is generated in 元 (integers) and each printed cell
is rounded half-up to 0.01 万元 on its own, as the publishing systems do. Parents, totals
and cross-table figures are sums in 元, so every identity of the national template holds
exactly or within the rounding of its summands ("尾数误差"). Where many summands would leave
an identity off by more than 0.02 万元 (the rules' tolerance), the generator does what
publishers do (尾差调整): 公开06's largest item absorbs the difference, the largest project
of the self-evaluations absorbs its sum's, and in the code tables, where it is all but
unseen, the year is drawn again. A clean document therefore passes every check. On top of
that, at the chosen rate, realistic faults are injected
(a 款 off its 项 sum, 合计 ≠ 基本 + 项目, 公开05 基本支出 ≠ 公开06 totals, a 三公 subtotal
off, a wrong share / completion rate / total in the prose) and harmless 0.01 rounding
adjustments. Every injection is recorded in the answer key with the rule expected to catch
it; `score_detection` compares a warehouse built from the corpus with the key.

Scope tokens: an injection's `scope` is a list of tokens (table code, subject code, column,
phase …) that the scope of the reconciliation check reporting it must contain once split
on ':' and '>' (e.g. ['公开03', '20103', 'basic'] ⊆ '公开03:20103:basic'). Narrative
injections carry the `metric_key` vocabulary of docs/raw_tables_narrative.md instead.

Deterministic for a given seed: each department draws from its own generator
(seed, department), so the output does not depend on the number of worker processes.

Modules, in the order a document is made: ``catalogue`` (subject codes, sectors, names),
``amounts`` (rounding and formats), ``departments``, ``money`` (a year in 元), ``printed``
(the nine tables in 0.01 万元) with ``footing`` (尾差调整), ``template_identities`` (the
identities the rules check), ``self_evaluations``, ``narrative`` (情况说明), ``faults`` (the
injections), ``table_rows`` (the tables' rows for every rendering), ``render`` (text in both
layouts), ``pdf_templates`` and ``render_pdf`` (PDFs with ruled tables, labelled or Shanghai
template; ``--format pdf|both``), ``cell_accuracy`` (printed PDF amounts against extracted rows), ``corpus`` (documents and answer key),
``answer_key``, ``scoring`` (a warehouse against the key), ``command_line``; ``bench`` times
the pipeline on synthetic corpora, ``bench_pdf`` its PDF rows.
"""
from fiscal_dw.synth.amounts import fmt, fmt_short, ratio_hundredths, wan
from fiscal_dw.synth.answer_key import ANSWER_KEY_FILE, AnswerKey, DocumentKey, Injection
from fiscal_dw.synth.answer_key import NARRATIVE_FAULT_KINDS, ROUNDING_KINDS, TABLE_FAULT_KINDS
from fiscal_dw.synth.catalogue import THREE_PUBLIC_CODES
from fiscal_dw.synth.command_line import main
from fiscal_dw.synth.corpus import generate_corpus
from fiscal_dw.synth.departments import make_department
from fiscal_dw.synth.footing import TOLERANCE
from fiscal_dw.synth.money import carried_out
from fiscal_dw.synth.printed import TOTAL_KEY
from fiscal_dw.synth.render import hard_wrap
from fiscal_dw.synth.scoring import DetectionReport, score_detection
from fiscal_dw.synth.self_evaluations import make_projects
from fiscal_dw.synth.template_identities import identities, make_printed_year

__all__ = [
    # the interface: generate a corpus, score a warehouse against its key, the command line
    "ANSWER_KEY_FILE", "AnswerKey", "DetectionReport", "DocumentKey", "Injection", "generate_corpus", "main",
    "score_detection",
    # the kinds of injection, and building blocks the tests check one by one
    "NARRATIVE_FAULT_KINDS", "ROUNDING_KINDS", "TABLE_FAULT_KINDS", "THREE_PUBLIC_CODES", "TOLERANCE", "TOTAL_KEY",
    "carried_out", "fmt", "fmt_short", "hard_wrap", "identities", "make_department", "make_printed_year",
    "make_projects", "ratio_hundredths", "wan",
]
