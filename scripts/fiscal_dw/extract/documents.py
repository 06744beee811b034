"""Reading a source document and recognising what it is, from its text (never its file name)."""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from fiscal_dw.extract.final_accounts.table_titles import find_titles, read_identity
from fiscal_dw.extract.text import squeeze

FINAL_ACCOUNTS = "final_accounts"
BUDGET = "budget"  # 部门预算: recognised and reported, never loaded as a final account
SELF_EVALUATION = "project_self_evaluation"
PERFORMANCE_EVALUATION = "performance_evaluation"
UNKNOWN = "unknown"

STANDARD_TABLE_CODE = re.compile(r"^公开\s*0?([1-9])\s*表$")
_TITLE_YEAR_DEPARTMENT = re.compile(r"(20\d{2})年度?(.{2,40}?)部门决算")
_TABLE_DEPARTMENT = re.compile(r"(?<![名称管])部门[：:]([^\s：:]+)")
_SUPERVISOR = re.compile(r"主管部门[：:]\s*(?:\d+[-－])?([^\s：:]+)")
_SELF_STYLED = re.compile(r"([\u4e00-\u9fa5]{2,30}?(?:局|委员会|厅|办公室|中心))（以下简称")
_YEAR = re.compile(r"(20\d{2})\s*年")


class DocumentError(ValueError):
    """A file that cannot be read as a document; the message names the file."""


@dataclass(frozen=True)
class SourceDocument:
    path: Path
    sha256: str
    encoding: str
    lines: tuple[str, ...]

    @property
    def document_id(self) -> str:
        return self.sha256[:16]

    def line(self, number: int) -> str:
        """1-based physical line, as `sed -n 'Np'` prints it."""
        return self.lines[number - 1]


@dataclass(frozen=True)
class DocumentMetadata:
    document_kind: str
    department_name: str
    fiscal_year: str


def load_document(path: Path) -> SourceDocument:
    return read_document(path)[0]


def read_document(path: Path) -> tuple[SourceDocument, list[str]]:
    """The document and what reading it took (notes naming the file, each a warning): stray
    NUL bytes and control characters removed, lines in different encodings each decoded in
    its own. The document id is that of the bytes as they are on disk."""
    raw = path.read_bytes()
    if not raw.strip():
        raise DocumentError(f"{path.name}: empty file")
    notes: list[str] = []
    text_bytes = raw
    nuls = raw.count(b"\x00")
    if nuls:
        if nuls * 100 > len(raw):  # UTF-16, a zip, an image: not a text export
            raise DocumentError(f"{path.name}: binary file (NUL bytes), not a text export")
        text_bytes = raw.replace(b"\x00", b"")
        line = raw.count(b"\n", 0, raw.index(b"\x00")) + 1
        notes.append(f"{path.name}: {nuls} NUL byte{'s' * (nuls > 1)} removed (line {line} first)")
    text, encoding = _decode(text_bytes, path.name, notes)
    first = _CONTROL.search(text)
    if first:
        text, removed = _CONTROL.subn("", text)
        notes.append(f"{path.name}: {removed} control character{'s' * (removed > 1)} removed "
                     f"(line {text.count(chr(10), 0, first.start()) + 1} first)")
    lines = tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    if lines and lines[-1] == "":
        lines = lines[:-1]
    return SourceDocument(path, hashlib.sha256(raw).hexdigest(), encoding.replace("-sig", ""), lines), notes


# C0 and C1 control characters but tab, line feed, carriage return and form feed (a page break)
_CONTROL = re.compile("[\x01-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def _decode(raw: bytes, name: str, notes: list[str]) -> tuple[str, str]:
    """UTF-8, else GB18030; a file that is neither as a whole (lines pasted from files of both
    encodings) line by line, each line in the first of the two that reads it."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    lines, counts, first_other = [], {"utf-8": 0, "gb18030": 0, "neither": 0}, 0
    for number, line in enumerate(raw.split(b"\n"), start=1):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                lines.append(line.decode(encoding))
                counts[encoding.replace("-sig", "")] += 1
                break
            except UnicodeDecodeError:
                continue
        else:
            lines.append(line.decode("utf-8", "replace"))
            counts["neither"] += 1
        if counts["utf-8"] < number and not first_other:
            first_other = number
    notes.append(f"{name}: mixed encodings, read line by line: {counts['utf-8']} lines UTF-8, "
                 f"{counts['gb18030']} GB18030 (line {first_other} first)"
                 + (f", {counts['neither']} neither (bad bytes shown as \ufffd)" if counts["neither"] else ""))
    return "\n".join(lines), "mixed"


def standard_table_lines(document: SourceDocument) -> list[tuple[int, int]]:
    """(line number, table number) of every '公开0N表' code line."""
    found = []
    for number, line in enumerate(document.lines, start=1):
        match = STANDARD_TABLE_CODE.match(squeeze(line))
        if match:
            found.append((number, int(match.group(1))))
    return found


def classify(document: SourceDocument) -> str:
    """What a document is, from its text: a final account (部门决算: the cover or a part title
    says so, and its tables are there by code line or by title), a budget (部门预算: recognised,
    never loaded as a final account), a project self-evaluation, a performance evaluation."""
    head = squeeze("".join(document.lines[:60]))
    identity = read_identity(document.lines)
    if identity.kind == BUDGET and "部门决算" not in head:
        return BUDGET
    if (standard_table_lines(document) or find_titles(document.lines)) and (
            "部门决算" in head or identity.kind == FINAL_ACCOUNTS):
        return FINAL_ACCOUNTS
    if "绩效自评" in head:
        return SELF_EVALUATION
    if "绩效评价" in head or "绩效评估" in head:
        return PERFORMANCE_EVALUATION
    return UNKNOWN


def read_metadata(document: SourceDocument) -> DocumentMetadata:
    kind = classify(document)
    head = squeeze("".join(document.lines[:60]))
    title = _TITLE_YEAR_DEPARTMENT.search(head)
    if kind in (FINAL_ACCOUNTS, BUDGET):
        departments = Counter(
            match.group(1)
            for line in document.lines
            for match in [_TABLE_DEPARTMENT.search(squeeze(line))]
            if match
        )
        department = departments.most_common(1)[0][0] if departments else ""
        identity = read_identity(document.lines)
        if not department:  # templates without a 部门： line: the cover names it
            department = identity.department
        if not department and title:
            department = title.group(2)
        year = title.group(1) if title else identity.year or _most_common_year(document.lines[:60])
        return DocumentMetadata(kind, department, year)
    text = "\n".join(document.lines[:200])
    department_match = _SUPERVISOR.search(text) or _SELF_STYLED.search(text)
    department = department_match.group(1) if department_match else ""
    return DocumentMetadata(kind, department, _most_common_year(document.lines[:40]))


def _most_common_year(lines: tuple[str, ...] | list[str]) -> str:
    years = Counter(match for line in lines for match in _YEAR.findall(line))
    return years.most_common(1)[0][0] if years else ""
