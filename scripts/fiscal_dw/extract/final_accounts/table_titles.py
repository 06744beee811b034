"""The nine standard tables of a final-accounts document, known by their titles.

The national template's nine tables carry the same titles everywhere, but every province
numbers and labels them its own way (Jinan/Qingdao print ``公开07表`` for the government-fund
table, Shanghai Putuo prints no label and puts that table eighth). So a table's *kind* is
read from its title only; a printed label or number is kept as printed, never interpreted.

API (small on purpose; the readers of page text and of PDFs build on it):

- ``TABLE_KINDS`` / ``KIND_BY_ID``: the nine canonical kinds (stable English ids), their
  national title and the raw table their rows go to.
- ``match_title(text)``: one line (or text box) -> ``TitleMatch`` or ``None``. The title may
  be prefixed by a department name and/or year, a label (``公开01表``, ``表1``, ``七、``) or, in
  page text, by the end of the line before (a note, a page number before a form feed).
- ``find_titles(lines)``: every table title of a document, in order, with its line index,
  page (counted from form feeds), label and prefix; entries of the table of contents are
  left out unless ``include_contents=True``.
- ``is_empty_table_note(text)``: the note declaring a table empty ("…故本表无数据"), or None.
- ``is_template_instruction(text)``: a template's instruction to the compiler left in the
  document ("…仍保留该表格式，并在本表下方作下述说明"), or None.
- ``read_identity(lines)``: department, year and kind (final accounts or budget) from the
  cover / part titles ("上海市普陀区财政局 2024 年度部门决算").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# --- the nine kinds -----------------------------------------------------------------------

INCOME_EXPENDITURE_SUMMARY = "income_expenditure_summary"
INCOME_BY_FUNCTION = "income_by_function"
EXPENDITURE_BY_FUNCTION = "expenditure_by_function"
APPROPRIATION_SUMMARY = "appropriation_summary"
GENERAL_BUDGET_EXPENDITURE = "general_budget_expenditure"
BASIC_EXPENDITURE_BY_ECONOMIC = "basic_expenditure_by_economic"
GOVERNMENT_FUND = "government_fund"
STATE_CAPITAL = "state_capital"
THREE_PUBLIC = "three_public"


@dataclass(frozen=True)
class TableKind:
    kind: str          # stable English identifier
    title: str         # the national template's title
    national_code: str  # the code of the national 公开01–09 numbering (Jinan, Qingdao)
    raw_table: str     # the raw table its rows go to (state_capital: see docs/raw_tables.md)


TABLE_KINDS: tuple[TableKind, ...] = (
    TableKind(INCOME_EXPENDITURE_SUMMARY, "收入支出决算总表", "公开01", "raw_income_expenditure_summary"),
    TableKind(INCOME_BY_FUNCTION, "收入决算表", "公开02", "raw_income_by_function"),
    TableKind(EXPENDITURE_BY_FUNCTION, "支出决算表", "公开03", "raw_expenditure_by_function"),
    TableKind(APPROPRIATION_SUMMARY, "财政拨款收入支出决算总表", "公开04", "raw_income_expenditure_summary"),
    TableKind(GENERAL_BUDGET_EXPENDITURE, "一般公共预算财政拨款支出决算表", "公开05",
              "raw_expenditure_by_function"),
    TableKind(BASIC_EXPENDITURE_BY_ECONOMIC, "一般公共预算财政拨款基本支出决算明细表", "公开06",
              "raw_basic_expenditure_by_economic"),
    TableKind(GOVERNMENT_FUND, "政府性基金预算财政拨款收入支出决算表", "公开07",
              "raw_government_fund_by_function"),
    TableKind(STATE_CAPITAL, "国有资本经营预算财政拨款支出决算表", "公开08", "raw_expenditure_by_function"),
    TableKind(THREE_PUBLIC, '财政拨款"三公"经费支出决算表', "公开09", "raw_three_public_expenses"),
)
KIND_BY_ID: dict[str, TableKind] = {kind.kind: kind for kind in TABLE_KINDS}
KIND_BY_NATIONAL_CODE: dict[str, TableKind] = {kind.national_code: kind for kind in TABLE_KINDS}

# Most specific first: a title is matched at the *end* of the (normalised) text, and e.g.
# 财政拨款收入支出决算总表 also ends with 收入支出决算总表.
_PAY = "(?:收入支出|收支|支出)"
_TITLE_PATTERNS: tuple[tuple[str, str], ...] = (
    (THREE_PUBLIC, r"(?:一般公共预算)?(?:财政拨款)?三公经费(?:支出)?(?:预)?决算(?:明细)?表"),
    (GOVERNMENT_FUND, rf"政府性基金预算财政拨款{_PAY}决算表"),
    (STATE_CAPITAL, rf"国有资本经营预算财政拨款{_PAY}决算表"),
    (BASIC_EXPENDITURE_BY_ECONOMIC, r"一般公共预算财政拨款基本支出决算(?:明细)?表"),
    (GENERAL_BUDGET_EXPENDITURE, r"一般公共预算财政拨款支出决算表"),
    (APPROPRIATION_SUMMARY, r"财政拨款(?:收入支出|收支)决算总表"),
    (INCOME_EXPENDITURE_SUMMARY, r"(?:收入支出|收支)决算总表"),
    (INCOME_BY_FUNCTION, r"收入决算表"),
    (EXPENDITURE_BY_FUNCTION, r"支出决算表"),
)
# optional trailing marks: a continuation, a parenthesised qualifier, the unit
_TRAILER = r"(?P<continued>[（(]?续(?:表)?[一二三四五六七八九十\d]*[）)]?)?(?:[（(][^（）()]{1,12}[）)])?(?:(?:金额)?单位[:：]?万?元)?"
_TITLE_RES = tuple((kind, re.compile(rf"(?P<title>{pattern}){_TRAILER}$")) for kind, pattern in _TITLE_PATTERNS)

# Quotes are printed curly, straight, as corner brackets or not at all; whitespace anywhere.
_DROPPED = set(" \t\u3000\u00a0\r\n" + "\"'“”‘’„‟＂＇「」『』〝〞″")
_PAGE_BREAK = "\f"

# A printed label, as it may precede a title (or stand on a line of its own beside it).
_LABEL = re.compile(
    r"(?P<label>公开0?\d{1,2}表|附?表\d{1,2}(?:[-－]\d{1,2})?|附?表[一二三四五六七八九十]{1,3}|"
    r"[一二三四五六七八九十]{1,3}[、.．]|\d{1,2}[、.．]|[（(][一二三四五六七八九十\d]{1,3}[）)])$")
_LABEL_LINE = re.compile(r"^(?:公开0?\d{1,2}表|附?表\d{1,2}(?:[-－]\d{1,2})?|附?表[一二三四五六七八九十]{1,3})$")
# What may come right before a title: nothing, the end of a sentence or page (page text glues
# a title to the line before), a year, or an organisation's name.
_PREFIX_END = re.compile(
    r"(?:[。；;！!？?\f\-•·*#>]|年度?|(?:局|委|委员会|部|办|办公室|室|处|厅|院|会|中心|所|站|馆|队|校|社|团|"
    r"公司|办事处|街道|镇|乡|政府|机关|本级|[）)]))$")


@dataclass(frozen=True)
class TitleMatch:
    kind: str
    title: str       # the title as printed (quotes as printed, inner spaces kept)
    label: str       # a label printed before the title on the same line, as printed
    prefix: str      # printed text before label/title (department, year, glued text)
    start: int       # offset in the text where the title (or its label) starts
    continued: bool  # printed as a continuation (续表 / （续）)


@dataclass(frozen=True)
class TableTitle:
    kind: str
    title: str
    label: str            # as printed on the title's line or a line beside it; "" if none
    prefix: str
    line_index: int       # 0-based index of the line holding the title
    label_line_index: int | None  # the line of a label printed on its own line
    column: int           # offset in the line where the title (or its label) starts
    page: int | None      # 1-based, counted from form feeds; None for text without them
    continued: bool
    in_contents: bool     # an entry of the table of contents, not a table


def _normalise(text: str) -> tuple[str, list[int]]:
    """The text without whitespace and quotes, and for each kept character its offset."""
    kept, offsets = [], []
    for offset, char in enumerate(text):
        if char in _DROPPED:
            continue
        kept.append(char)
        offsets.append(offset)
    return "".join(kept), offsets


def _prefix_ok(prefix: str) -> tuple[bool, str]:
    """(is the normalised prefix one a title may follow, the label at its end)."""
    if not prefix:
        return True, ""
    label_match = _LABEL.search(prefix)
    label = ""
    if label_match:
        label = label_match.group("label")
        prefix = prefix[: label_match.start()]
        if not prefix:
            return True, label
    if prefix[-1].isdigit() and not label:
        # a bare number glued to a title is a page number only across a page break
        return _PAGE_BREAK in prefix and prefix.rstrip("0123456789").endswith(_PAGE_BREAK), ""
    return bool(_PREFIX_END.search(prefix)), label


def match_title(text: str) -> TitleMatch | None:
    """The standard table whose title ends this text, or None."""
    if "表" not in text:
        return None
    normal, offsets = _normalise(text)
    for kind, pattern in _TITLE_RES:
        match = pattern.search(normal)
        if not match:
            continue
        head = normal[: match.start()]
        continued = bool(match.group("continued")) or head.endswith(("续表", "续"))
        if continued:
            head = head.removesuffix("表").removesuffix("续")
        ok, label = _prefix_ok(head)
        if not ok:
            return None
        title_start = offsets[match.start("title")]
        title_end = offsets[match.end("title") - 1] + 1
        # closing quotes printed right after the title's last character belong to it
        start = title_start
        if label:
            label_start_norm = len(head) - len(label)
            start = offsets[label_start_norm]
            printed_label = text[start:title_start].strip()
        else:
            printed_label = ""
        prefix = text[:start]
        if _PAGE_BREAK in prefix:
            prefix_tail = prefix.rsplit(_PAGE_BREAK, 1)[1]
        else:
            prefix_tail = prefix
        return TitleMatch(kind, text[title_start:title_end].strip(), printed_label,
                          prefix_tail.strip(), start, continued)
    return None


def find_titles(lines: list[str] | tuple[str, ...], include_contents: bool = False) -> list[TableTitle]:
    """Every title of one of the nine tables, in document order.

    A title is an entry of the table of contents when the line before or after it (blank
    lines skipped) is a title too: the tables themselves are separated by their headers."""
    matches: list[tuple[int, TitleMatch]] = []
    for index, line in enumerate(lines):
        found = match_title(line)
        if found:
            matches.append((index, found))
    if not matches:
        return []
    titled = {index for index, _ in matches}
    has_pages = any(_PAGE_BREAK in line for line in lines)
    pages_before = _page_counts(lines) if has_pages else None
    result = []
    for index, found in matches:
        in_contents = _neighbour(lines, index, -1) in titled or _neighbour(lines, index, +1) in titled
        if in_contents and not include_contents:
            continue
        label, label_line = found.label, None
        if not label:
            label_line = _label_line(lines, index)
            if label_line is not None:
                label = lines[label_line].strip()
        page = None
        if pages_before is not None:
            page = pages_before[index] + lines[index][: found.start].count(_PAGE_BREAK) + 1
        result.append(TableTitle(found.kind, found.title, label, found.prefix, index, label_line,
                                 found.start, page, found.continued, in_contents))
    return result


def _page_counts(lines) -> list[int]:
    counts, total = [], 0
    for line in lines:
        counts.append(total)
        total += line.count(_PAGE_BREAK)
    return counts


def _neighbour(lines, index: int, step: int) -> int | None:
    probe = index + step
    while 0 <= probe < len(lines):
        if lines[probe].strip(" \t\u3000\f"):
            return probe
        probe += step
    return None


def _label_line(lines, index: int) -> int | None:
    """A label printed on its own line just after the title (Jinan, Qingdao: title, blank,
    ``公开01表``) or just before it."""
    probe = index
    for _ in range(2):
        probe = _neighbour(lines, probe, +1)
        if probe is None:
            break
        if _LABEL_LINE.match(_normalise(lines[probe])[0]):
            return probe
    before = _neighbour(lines, index, -1)
    if before is not None and _LABEL_LINE.match(_normalise(lines[before])[0]):
        return before
    return None


# --- notes under a table ------------------------------------------------------------------

_EMPTY_NOTE = re.compile(
    r"(?:故|因此|所以)?(?:本|此|该)表(?:为空表?|无数据|数据为空|无内容|不涉及|无相关数据)|"
    r"(?:本|此|该)表(?:格式)?(?:以)?空表(?:列示|公开)|故(?:本表)?(?:为)?空表|"
    r"(?:本|此|该)表(?:金额)?(?:均)?为(?:零|0)")
# a note saying only that there is nothing to show ("说明：本部门本年度无政府性基金预算财政拨款
#收入和支出。"), without naming the table: the whole note is that one statement
_NOTHING_NOTE = re.compile(
    r"^(?:\d[.．、])?(?:注|说明)[：:](?:\d[.．、])?(?P<body>[^。；;]{0,60}?(?:没有|无)[^。；;，,]{0,40}?"
    r"(?:收入|支出|收支|经费|资金)[^。；;]{0,30})[。；;]?$")
_INSTRUCTION = re.compile(
    r"仍(?:须|需|应)?保留(?:该|本|此)?表(?:格)?(?:式)?|(?:在|于)(?:本|该|此)表下方.{0,6}说明|"
    r"作下述说明|请(?:在此|据实|如实|按).{0,12}(?:说明|填列|填写)")
_SENTENCE_END = re.compile(r"[。；;！!]")


def _sentence_around(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` holding ``[start, end)``, from a 注/说明 marker if there is one."""
    head = text[:start]
    cut = max(head.rfind("。"), head.rfind("；"), head.rfind(";"), head.rfind("\f"))
    for marker in ("注：", "注:", "说明：", "说明:"):
        at = head.rfind(marker)
        if at > cut:
            cut = at - 1
            break
    tail = _SENTENCE_END.search(text, end)
    stop = tail.end() if tail else len(text)
    return text[cut + 1: stop].strip()


def is_empty_table_note(text: str) -> str | None:
    """The note (as printed) declaring a table empty, e.g. "说明：…本年度没有…，故本表无数据。"."""
    normal = "".join(ch for ch in text if ch not in " \t\u3000")
    match = _EMPTY_NOTE.search(normal)
    if not match:
        nothing = _NOTHING_NOTE.match(normal.strip())
        # it must name a whole kind of money (a note on one item, e.g. 无因公出国费, does not
        # empty the table)
        if (nothing and "反映" not in nothing.group("body") and not _INSTRUCTION.search(normal)
                and re.search(r"预算|基金|三公|国有资本", nothing.group("body"))):
            return normal.strip()
        return None
    if _INSTRUCTION.search(normal[: match.start()]):
        return _note_after_instruction(normal)
    return _sentence_around(normal, match.start(), match.end())


def _note_after_instruction(normal: str) -> str | None:
    # "…仍保留该表格式，并在本表下方作下述说明：说明：…故本表无数据。" on one line
    instruction = _INSTRUCTION.search(normal)
    rest = normal[instruction.end():]
    match = _EMPTY_NOTE.search(rest)
    return _sentence_around(rest, match.start(), match.end()) if match else None


def is_template_instruction(text: str) -> str | None:
    """A sentence of the template's instructions left in the document, or None."""
    normal = "".join(ch for ch in text if ch not in " \t\u3000")
    match = _INSTRUCTION.search(normal)
    return _sentence_around(normal, match.start(), match.end()) if match else None


# --- document identity --------------------------------------------------------------------

FINAL_ACCOUNTS = "final_accounts"
BUDGET = "budget"

_IDENTITY = re.compile(
    r"(?P<department>[\u4e00-\u9fa5（）()]{2,60}?)(?P<year>20\d{2})年度?(?:部门|单位)?(?P<kind>决算|预算)")
_IDENTITY_YEAR_FIRST = re.compile(
    r"(?P<year>20\d{2})年度?(?P<department>[\u4e00-\u9fa5（）()]{2,60}?)(?:部门|单位)(?P<kind>决算|预算)")
_YEAR_ONLY = re.compile(r"(?P<year>20\d{2})年度?(?:部门|单位)?(?P<kind>决算|预算)")
_PART = re.compile(r"^第[一二三四五六七八九十]+部分")


@dataclass(frozen=True)
class DocumentIdentity:
    department: str   # "" when not printed
    year: str
    kind: str         # FINAL_ACCOUNTS, BUDGET or ""
    line_index: int   # where it was read (0-based), -1 if nowhere
    text: str         # the words it was read from, whitespace removed


def read_identity(lines: list[str] | tuple[str, ...], head: int = 12) -> DocumentIdentity:
    """Department, year and kind from the cover ("上海市普陀区财政局 / 2024年度部门决算", which
    may be printed over several lines), else from a part title
    ("第二部分 上海市普陀区财政局2024年度部门决算表")."""
    cover, starts = [], []
    for index, line in enumerate(lines[:head]):
        text = _normalise(line.replace(_PAGE_BREAK, " "))[0]
        if _PART.match(text):
            break
        starts.append((len("".join(cover)), index))
        cover.append(text)
    found = _identity_in("".join(cover), starts)
    if found and found.department:
        return found
    for index, line in enumerate(lines):
        text = _normalise(line.replace(_PAGE_BREAK, " "))[0]
        if _PART.match(text) and ("决算" in text or "预算" in text):
            part = _identity_in(_PART.sub("", text), [(0, index)])
            if part and (part.department or not found):
                return part
    return found or DocumentIdentity("", "", "", -1, "")


def _identity_in(text: str, starts: list[tuple[int, int]]) -> DocumentIdentity | None:
    """"<department><year>年度部门决算" or "<year>年度<department>部门决算" (or only the year)."""
    for pattern in (_IDENTITY, _IDENTITY_YEAR_FIRST, _YEAR_ONLY):
        match = pattern.search(text)
        if match:
            break
    else:
        return None
    department = match.groupdict().get("department") or ""
    line_index = max((index for start, index in starts if start <= match.start()), default=0)
    return DocumentIdentity(department, match.group("year"), _kind(match.group("kind")),
                            line_index, text[match.start(): match.end()])


def _kind(word: str) -> str:
    return FINAL_ACCOUNTS if word == "决算" else BUDGET
