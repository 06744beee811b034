"""Figures stated in the narrative part (第三部分 …情况说明) of a final-accounts document.

The narrative restates and explains the standard tables in prose. Every number printed in
it becomes one row of `raw_narrative_figures` (docs/raw_tables_narrative.md), with the
figure as printed, its normalised value and unit, the sentence it belongs to and a
`metric_key` saying what it is. Everything is found by structure and wording, never by
line numbers or document names:

- the section runs from the 第N部分 heading whose title says 情况说明 (on the heading line
  or the next non-blank line; a 目录 entry is skipped because it holds no sentence) to
  the next 第N部分 heading;
- inside it, lines are headings (一、 / （一）), chart captions (图1：…, (单位：万元)),
  numbered items (1、 / 1. / 10. at the start of a line that follows a finished sentence
  or a heading) or prose. Prose is read as one stream with all whitespace removed, so a
  number broken by stray spaces (``12,92 7 . 3 5``), a sentence split by a blank line, a
  share split from its 占 or a unit printed on the next line read as printed;
- a figure is a run of digits (with ``,`` and ``.``) and the unit after it. Years, dates,
  ordinals, ranks (第1位) and chart numbers are not figures (rule in
  docs/raw_tables_narrative.md); a number that is not a well-formed decimal is returned as
  a Reject with its line;
- the key comes from the section family (from the heading path), the subject named before
  the figure (keyword tables; 类 names and 类/款/项 paths are looked up in the document's
  own 公开05 subject list) and the measure named right before it (占 → share, 完成…的 →
  completion rate, 减少/增加 → signed change against the year before or the budget, …).
  A figure whose subject or measure is not recognised is kept with an empty key.

Modules: ``narrative_text`` (the section, the prose stream, the figures in it),
``narrative_vocabulary`` (subjects and section families) and ``narrative_keys`` (a
figure's metric_key from its subject and measure).
"""
from __future__ import annotations

from fiscal_dw.extract.documents import SourceDocument
from fiscal_dw.extract.final_accounts.narrative_keys import SENTENCE_END, assign_keys, subject_names
from fiscal_dw.extract.final_accounts.narrative_text import (
    SENTINEL,
    SOURCE_TABLE,
    Figure,
    Heading,
    Stream,
    build_stream,
    find_figures,
    locate_narrative,
)
from fiscal_dw.extract.rows import Extracted
from fiscal_dw.extract.schemas import RAW_TABLES

NARRATIVE_FIGURES = "raw_narrative_figures"
COLUMNS = RAW_TABLES[NARRATIVE_FIGURES]


def _printed(document: SourceDocument, stream: Stream, start: int, end: int, join: str) -> str:
    """Source text from stream char `start` to char `end - 1`; lines joined by `join`."""
    (first_line, first_col), (last_line, last_col) = stream.where[start], stream.where[end - 1]
    if first_line == last_line:
        return document.line(first_line)[first_col:last_col + 1]
    pieces = [document.line(first_line)[first_col:]]
    pieces += [document.line(n) for n in range(first_line + 1, last_line)]
    pieces.append(document.line(last_line)[:last_col + 1])
    if join:
        return join.join(pieces)
    return "".join(piece.strip() for piece in pieces)


def _sentence_bounds(stream: Stream, figure: Figure) -> tuple[int, int]:
    chars = stream.chars
    start = figure.start
    while start > 0 and chars[start - 1] not in SENTENCE_END + SENTINEL:
        start -= 1
    end = figure.unit_end
    while end < len(chars) and chars[end] != SENTINEL:
        end += 1
        if chars[end - 1] in SENTENCE_END:
            break
    return start, end


def _section(stream: Stream, position: int) -> str:
    path = ["", ""]
    for index in sorted(i for i in stream.events if i < position):
        event = stream.events[index]
        if isinstance(event, Heading):
            path = [event.text, ""] if event.level == 1 else [path[0], event.text]
    return "/".join(part for part in path if part)


def extract_narrative_figures(document: SourceDocument, *, tables: Extracted | None = None) -> Extracted:
    """One `raw_narrative_figures` row per number stated in the 情况说明 part.

    `tables` may pass the document's already extracted standard tables (their 公开05
    subject names key the 类 and 项 figures); without it they are extracted here.
    """
    result = Extracted()
    span = locate_narrative(document)
    if span is None:
        return result
    stream = build_stream(document, span)
    figures = find_figures(stream, result.rejects, document)
    printed_paths = assign_keys(stream, figures, subject_names(document, tables))
    for sequence, (figure, printed_path) in enumerate(zip(figures, printed_paths), start=1):
        sentence_start, sentence_end = _sentence_bounds(stream, figure)
        result.add(NARRATIVE_FIGURES, {
            "document_id": document.document_id,
            "source_table": SOURCE_TABLE,
            "source_line": str(stream.where[figure.start][0]),
            "figure_seq": str(sequence),
            "section": _section(stream, figure.start),
            "metric_key": figure.metric_key,
            "value": figure.value,
            "unit": figure.unit,
            "value_text": _printed(document, stream, figure.start, figure.unit_end, "\n"),
            "sentence": _printed(document, stream, sentence_start, sentence_end, ""),
            "subject_printed": printed_path,
        })
    return result
