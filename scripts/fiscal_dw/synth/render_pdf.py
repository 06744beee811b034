"""A synthetic document as a PDF: cover, contents, 部门概况, the nine tables as ruled grids
(``pdf_templates``: the labelled Jinan/Qingdao print or the Shanghai district print), 情况说明
and 名词解释 as text pages.

Drawn with reportlab and its built-in CID font STSong-Light (no font file needed), in
reportlab's invariant mode: the same arguments give byte-identical files. Each table cell is a
stroked rectangle, as office exports draw them, or (``PdfStyle.rules``) only its top and bottom
edges, or no rule at all; a table longer than its page continues on the next one, with its
header printed again or not (``PdfStyle.repeat_header``)."""
from __future__ import annotations

import io
import random
from collections.abc import Sequence
from dataclasses import replace

from fiscal_dw.synth.departments import Department, sector_topic
from fiscal_dw.synth.pdf_templates import (
    GRID,
    HORIZONTAL,
    LABELLED,
    NO_RULES,
    SHANGHAI,
    TEMPLATES,
    HeaderCell,
    PdfStyle,
    PrintedCell,
    TableSpec,
    document_tables,
)
from fiscal_dw.synth.printed import Printed
from fiscal_dw.synth.render import Writer, hard_wrap, render_self_evaluations
from fiscal_dw.synth.self_evaluations import Project
from fiscal_dw.synth.table_rows import CN_ORDINALS

FONT = "STSong-Light"
PORTRAIT = (595.0, 842.0)
LANDSCAPE = (842.0, 595.0)
TOP, BOTTOM = 60.0, 50.0
CELL_FONT = 8.0
LINE = 10.0  # a text line inside a cell, pt
GLOSSARY = ("一、财政拨款收入：指本级财政当年拨付的资金。",
            "二、基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员经费和公用经费。",
            "三、项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。",
            "四、“三公”经费：指用财政拨款安排的因公出国（境）费、公务用车购置及运行维护费和公务接待费。")
INSTRUCTION = "（本部门无此项数据的，仍保留该表格式，并在本表下方作下述说明。）"


def choose_style(rng: random.Random) -> PdfStyle:
    """One department's print, drawn from its own stream."""
    template = TEMPLATES[rng.random() < 0.5]
    style = PdfStyle(template=template, zeros=rng.random() < 0.3, separators=rng.random() < 0.7,
                     repeat_header=rng.random() < 0.5, summary_lines=rng.choice((24, 26)),
                     row_height=rng.choice((16.0, 18.0, 20.0, 22.0)),
                     instruction=template == SHANGHAI and rng.random() < 0.3)
    # drawn last, so the other features of a seed's departments stay what they were
    style = replace(style, rules=rng.choice((GRID, GRID, HORIZONTAL, NO_RULES)))
    return replace(style, basic_split=rng.random() < 0.5 and template == SHANGHAI)


def _font():
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return pdfmetrics


def _width(text: str, size: float) -> float:
    return _font().stringWidth(text, FONT, size)


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Lines of a cell's text no wider than ``width`` (cut between characters)."""
    lines, current = [], ""
    for char in text:
        if current and _width(current + char, size) > width:
            lines.append(current)
            current = ""
        current += char
    return [*lines, current] if current else lines or [""]


class Pages:
    """A reportlab canvas with a cursor: ``y`` falls from the top of the page."""

    def __init__(self) -> None:
        from reportlab.pdfgen import canvas

        _font()
        self.buffer = io.BytesIO()
        self.canvas = canvas.Canvas(self.buffer, pagesize=PORTRAIT, invariant=1, pageCompression=1)
        self.canvas.setTitle("synthetic final accounts (fiscal_dw.synth)")
        self.size = PORTRAIT
        self.y = PORTRAIT[1] - TOP
        self.blank = True
        self.pages = 0

    def new_page(self, size: tuple[float, float] = PORTRAIT) -> None:
        if not self.blank:
            self.canvas.showPage()
            self.pages += 1
        self.canvas.setPageSize(size)
        self.size = size
        self.y = size[1] - TOP
        self.blank = True

    def text(self, x: float, y: float, text: str, size: float) -> None:
        if not text:
            return
        self.canvas.setFont(FONT, size)
        # PDFium reads no text from a lone CID character drawn by reportlab (two bytes that
        # look like an ASCII pair): a trailing space, dropped by every reader, keeps it
        self.canvas.drawString(x, y, text if len(text) > 1 else text + " ")
        self.blank = False

    def centred(self, text: str, size: float, gap: float) -> None:
        self.text((self.size[0] - _width(text, size)) / 2, self.y - size, text, size)
        self.y -= size + gap

    def paragraph(self, text: str, size: float = 10.5, width: float = 44, indent: bool = True) -> None:
        for line in hard_wrap(("\u3000\u3000" if indent else "") + text, width):
            if self.y - size < BOTTOM:
                self.new_page()
            self.text(60, self.y - size, line, size)
            self.y -= size * 1.6
        self.y -= size * 0.4

    def finish(self) -> bytes:
        self.canvas.showPage()
        self.pages += 1
        self.canvas.save()
        return self.buffer.getvalue()


# --- tables ----------------------------------------------------------------------------------

def _header_layout(header: list[list[HeaderCell]], columns: int) -> list[tuple[int, int, HeaderCell]]:
    """(row, first column, cell) of each header cell, placed past the cells spanning from above."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, row in enumerate(header):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
        if c > columns:
            raise ValueError(f"header row {r} is wider than its {columns} columns")
    return placed


def _draw_cell(pages: Pages, x: float, top: float, width: float, height: float, text: str,
               align: str, rules: str = GRID) -> None:
    if rules == GRID:
        pages.canvas.rect(x, top - height, width, height, stroke=1, fill=0)
    elif rules == HORIZONTAL:
        pages.canvas.line(x, top, x + width, top)
        pages.canvas.line(x, top - height, x + width, top - height)
    if not text:
        return
    lines = _wrap(text, width - 5, CELL_FONT)
    block = LINE * len(lines)
    baseline = top - (height - block) / 2 - CELL_FONT + 0.5
    for line in lines:
        line_width = _width(line, CELL_FONT)
        if align == "r":
            tx = x + width - 3 - line_width
        elif align == "c":
            tx = x + (width - line_width) / 2
        else:
            tx = x + 3
        pages.text(tx, baseline, line, CELL_FONT)
        baseline -= LINE


def _draw_header(pages: Pages, spec: TableSpec, x0: float, xs: list[float], row_height: float,
                 rules: str = GRID) -> None:
    top = pages.y
    for r, c, cell in _header_layout(spec.header, len(spec.widths)):
        width = xs[c + cell.colspan] - xs[c]
        _draw_cell(pages, x0 + xs[c], top - r * row_height, width, row_height * cell.rowspan, cell.text, "c",
                   rules)
    pages.y -= row_height * len(spec.header)


def _row_height(spec: TableSpec, row: list[tuple[str, int, str]], xs: list[float], base: float) -> float:
    lines, c = 1, 0
    for text, span, _ in row:
        width = xs[c + span] - xs[c]
        lines = max(lines, len(_wrap(text, width - 5, CELL_FONT)) if text else 1)
        c += span
    return max(base, LINE * lines + 6)


def draw_table(pages: Pages, spec: TableSpec, style: PdfStyle, dept: str) -> None:
    size = LANDSCAPE if spec.landscape else PORTRAIT
    pages.new_page(size)
    xs = [0.0]
    for width in spec.widths:
        xs.append(xs[-1] + width)
    x0 = (size[0] - xs[-1]) / 2
    header_height = 20.0 if style.template == SHANGHAI else 18.0
    pages.y -= 40  # the title stands well below the top edge, as in the published pages
    pages.centred(spec.title, 15, 14)
    if style.template == LABELLED:
        pages.text(x0 + xs[-1] - _width(spec.label, 9), pages.y, spec.label, 9)
        pages.y -= 14
        pages.text(x0, pages.y, f"部门：{dept}", 9)
        pages.text(x0 + xs[-1] - _width("金额单位：万元", 9), pages.y, "金额单位：万元", 9)
    else:
        pages.text(x0 + xs[-1] - _width("单位：万元", 9), pages.y, "单位：万元", 9)
    pages.y -= 8
    _draw_header(pages, spec, x0, xs, header_height, style.rules)
    for row in spec.body:
        height = _row_height(spec, row, xs, style.row_height)
        if pages.y - height < BOTTOM:
            pages.new_page(size)
            if style.repeat_header:
                _draw_header(pages, spec, x0, xs, header_height, style.rules)
        c = 0
        for text, span, align in row:
            _draw_cell(pages, x0 + xs[c], pages.y, xs[c + span] - xs[c], height, text, align, style.rules)
            c += span
        pages.y -= height
    if style.instruction and "无数据" in spec.note:
        pages.y -= 4
        pages.text(x0, pages.y - 9, INSTRUCTION, 9)
        pages.y -= 14
    if spec.note:
        pages.y -= 4
        for line in _wrap(spec.note, xs[-1], 9):
            if pages.y - 12 < BOTTOM:
                pages.new_page(size)
            pages.text(x0, pages.y - 9, line, 9)
            pages.y -= 13


# --- a document ------------------------------------------------------------------------------

def draw_self_evaluations(pages: Pages, projects: Sequence[Project], year: int, rng: random.Random) -> None:
    """第五部分 附件 as the text rendering lays it out, each row of tab-separated cells a ruled
    row (one cell per tab cell, so the text layer reads back the same cells), other lines text."""
    writer = Writer("tab", rng)
    render_self_evaluations(writer, list(projects), year, rng)
    pages.new_page(LANDSCAPE)
    width = LANDSCAPE[0] - 80
    for line in writer.lines:
        if "\t" not in line:
            if line.startswith("项目支出绩效自评表") and pages.y < LANDSCAPE[1] - TOP - 1:
                pages.new_page(LANDSCAPE)
            if line:
                pages.text(40, pages.y - 10, line, 10)
                pages.y -= 16
            continue
        cells = line.split("\t")
        cell_width = width / len(cells)
        height = max(16.0, max(LINE * len(_wrap(c, cell_width - 5, CELL_FONT)) + 6 for c in cells))
        if pages.y - height < BOTTOM:
            pages.new_page(LANDSCAPE)
        for i, text in enumerate(cells):
            _draw_cell(pages, 40 + i * cell_width, pages.y, cell_width, height, text, "l")
        pages.y -= height


def render_pdf(dept: Department, year: int, p: Printed, paragraphs: Sequence[tuple[str, str]], style: PdfStyle,
               rng: random.Random, projects: Sequence[Project] = ()) -> tuple[bytes, list[PrintedCell], int]:
    """(the PDF, every amount cell it prints, its page count)."""
    pages = Pages()
    name = dept.name
    pages.y -= 200
    if style.template == SHANGHAI:
        pages.centred(name, 24, 20)
        pages.centred(f"{year}年度部门决算", 24, 20)
    else:
        pages.centred(f"{year}年度", 24, 20)
        pages.centred(f"{name}部门决算", 24, 20)
    pages.centred("（本文件由 fiscal_dw.synth 生成，数据为虚构，仅供测试）", 10, 8)
    tables = document_tables(p, style, name)
    pages.new_page()
    pages.centred("目 录", 16, 16)
    toc = ["第一部分 部门概况", "第二部分 部门决算表",
           *(f"{CN_ORDINALS[i]}、{spec.title}" for i, spec in enumerate(tables)),
           f"第三部分 {year}年度部门决算情况说明", "第四部分 名词解释", *(["第五部分 附件"] if projects else [])]
    for entry in toc:
        pages.text(80 if entry.startswith("第") else 100, pages.y - 11, entry, 11)
        pages.y -= 22
    pages.new_page()
    pages.centred(f"第一部分 {name}概况" if style.template == SHANGHAI else "第一部分 部门概况", 16, 18)
    pages.paragraph("一、部门职责", 12, indent=False)
    pages.paragraph(f"{name}贯彻落实党中央、国务院和省委、省政府、市委、市政府关于{sector_topic(dept.sector)}"
                    "工作的方针政策和决策部署，在履行职责过程中坚持和加强党对相关工作的集中统一领导。")
    pages.paragraph("二、机构设置", 12, indent=False)
    units = 1 + len(dept.institutions)
    pages.paragraph(f"从决算单位构成看，纳入{name}{year}年度部门决算编制范围的单位共{units}个，包括：局本级"
                    + ("及所属事业单位。" if dept.institutions else "。"))
    pages.new_page()
    pages.y -= 250
    part = f"第二部分 {name}{year}年度部门决算表" if style.template == SHANGHAI else f"第二部分 {year}年度部门决算表"
    pages.centred(part, 18, 10)
    cells: list[PrintedCell] = []
    for spec in tables:
        draw_table(pages, spec, style, name)
        cells.extend(spec.cells)
    pages.new_page()
    for kind, text in paragraphs:
        if kind == "h":
            if pages.y - 30 < BOTTOM:
                pages.new_page()
            pages.paragraph(text, 12, indent=False)
        else:
            pages.paragraph(text)
    pages.new_page()
    pages.paragraph("第四部分 名词解释", 14, indent=False)
    for term in GLOSSARY:
        pages.paragraph(term)
    if projects:
        pages.new_page()
        pages.paragraph("第五部分 附件", 14, indent=False)
        draw_self_evaluations(pages, projects, year, rng)
    data = pages.finish()
    return data, cells, pages.pages
