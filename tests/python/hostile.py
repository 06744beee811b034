"""Hostile input files, written at test time into a temporary folder (never committed):
each function writes one file (or link) into ``folder`` and returns the name the extractor
must report it under. Used by test_hostile_input.py."""
from __future__ import annotations

import os
import zlib
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "documents"
GOOD = ("space_layout_final_accounts.txt", "tab_layout_final_accounts.txt")
MB = 1024 * 1024

# A final-accounts head: the extractors take what follows for a document worth reading.
HEAD = "2023年度测试部门部门决算\n部门：测试部门\n收入支出决算总表\n公开01表\n单位：万元\n"


def huge_text(folder: Path, megabytes: int = 200) -> str:
    """A text file of ``megabytes`` MB (lines of table-like text)."""
    line = "一般公共服务支出\t201\t1,234.56\t7,890.12\t0.00\n".encode()
    with (folder / "huge.txt").open("wb") as handle:
        handle.write(HEAD.encode())
        block = line * (MB // len(line))
        for _ in range(megabytes):
            handle.write(block)
    return "huge.txt"


def one_long_line(folder: Path, megabytes: int = 50) -> str:
    """One line of ``megabytes`` MB: Chinese text, numbers and separators without a newline."""
    piece = "合计 1,234.56 项目支出 公开01表 ".encode()
    (folder / "one_line.txt").write_bytes(HEAD.encode() + piece * (megabytes * MB // len(piece)))
    return "one_line.txt"


def millions_of_numbers(folder: Path, count: int = 3_000_000) -> str:
    """A final-accounts table with ``count`` amounts: rows of subject code, name and figures."""
    with (folder / "numbers.txt").open("w", encoding="utf-8") as handle:
        handle.write(HEAD)
        handle.write("项目\t栏次\t年初预算\t决算数\n")
        for row in range(count // 4):
            handle.write(f"201{row % 100:02d}\t支出{row}\t{row % 9999}.{row % 100:02d}\t{row % 7}.50\t"
                         f"{row % 13}.25\t{row % 11}.75\n")
    return "numbers.txt"


def repeated_titles(folder: Path, times: int = 200_000) -> str:
    """The nine table titles and code lines, over and over, nested in each other's headers."""
    titles = ("收入支出决算总表", "收入决算表", "支出决算表", "财政拨款收入支出决算总表",
              "一般公共预算财政拨款支出决算表", "一般公共预算财政拨款基本支出决算表",
              "政府性基金预算财政拨款收入支出决算表", "国有资本经营预算财政拨款支出决算表",
              "一般公共预算财政拨款“三公”经费支出决算表")
    with (folder / "titles.txt").open("w", encoding="utf-8") as handle:
        handle.write(HEAD)
        for index in range(times):
            handle.write(f"{titles[index % 9]}\n公开0{index % 9 + 1}表\n部门：测试部门\n")
    return "titles.txt"


def control_characters(folder: Path) -> str:
    """A real document with control characters (bell, escape, backspace) in its lines."""
    text = (FIXTURES / "performance" / "tab_self_evaluation.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    for index in range(3, len(lines), 7):
        lines[index] = lines[index][:4] + "\x07\x1b[31m\x08" + lines[index][4:]
    (folder / "control.txt").write_text("\n".join(lines) + "\x1a", encoding="utf-8")
    return "control.txt"


def nul_bytes(folder: Path) -> str:
    """A real document with NUL bytes strewn through it."""
    raw = (FIXTURES / "performance" / "space_self_evaluation.txt").read_bytes()
    (folder / "nul.txt").write_bytes(raw[:200] + b"\x00\x00" + raw[200:400] + b"\x00" + raw[400:])
    return "nul.txt"


def mixed_encodings(folder: Path) -> str:
    """A real document whose first half is UTF-8 and second half GB18030."""
    lines = (FIXTURES / "performance" / "evaluation_reports.txt").read_text(encoding="utf-8").split("\n")
    half = len(lines) // 2
    raw = "\n".join(lines[:half]).encode("utf-8") + b"\n" + "\n".join(lines[half:]).encode("gb18030")
    (folder / "mixed.txt").write_bytes(raw)
    return "mixed.txt"


def symlink_loop(folder: Path) -> str:
    """``loop.txt`` -> ``loop2.txt`` -> ``loop.txt``, and ``folder.txt`` -> the folder itself."""
    os.symlink("loop2.txt", folder / "loop.txt")
    os.symlink("loop.txt", folder / "loop2.txt")
    os.symlink(".", folder / "folder.txt")
    return "loop.txt"


def good_documents_with_hostile_names(folder: Path) -> list[str]:
    """Three good fixture documents: one under a name with spaces and a newline, one under a
    GBK-encoded name (not UTF-8), one under a name with a byte that is no encoding's; returns
    the names they must be shown and recorded under (escapes for what cannot be printed)."""
    (folder / "final accounts\nof 2024.txt").write_bytes((FIXTURES / GOOD[0]).read_bytes())
    (folder / os.fsdecode("中文决算.txt".encode("gbk"))).write_bytes((FIXTURES / GOOD[1]).read_bytes())
    (folder / os.fsdecode(b"bad \xff name.txt")).write_bytes(
        (FIXTURES / "narrative" / "narrative_final_accounts.txt").read_bytes())
    return ["final accounts\\nof 2024.txt", "中文决算.txt", "bad \\xff name.txt"]


# ------------------------------------------------------------------------------ PDFs


def _pdf(*objects: bytes) -> bytes:
    """A PDF of the numbered objects (1 = catalog) with a correct cross-reference table."""
    out = b"%PDF-1.7\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def _page(contents: bytes, resources: bytes = b"<< /Font << /F1 5 0 R >> >>") -> list[bytes]:
    return [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources "
            + resources + b" >>",
            contents,
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def pdf_zip_bomb(folder: Path, gigabytes: int = 2) -> str:
    """A one-page PDF whose FlateDecode content stream inflates to ``gigabytes`` GB of text
    operators (a few MB on disk). Written fast: one block compressed once with a full flush
    (so it depends on nothing before it) and repeated, then the zlib trailer."""
    chunk = b"BT /F1 12 Tf 72 712 Td (0.00) Tj ET\n" * (4 * MB // 36)
    raw = zlib.compressobj(1, zlib.DEFLATED, -15)
    block = raw.compress(chunk) + raw.flush(zlib.Z_FULL_FLUSH)
    repeats = gigabytes * 256
    checksum = 1
    for _ in range(repeats):
        checksum = zlib.adler32(chunk, checksum)
    end = zlib.compressobj(1, zlib.DEFLATED, -15).flush()
    data = b"\x78\x01" + block * repeats + end + checksum.to_bytes(4, "big")
    (folder / "bomb.pdf").write_bytes(_pdf(*_page(_stream(data, b" /Filter /FlateDecode"))))
    return "bomb.pdf"


def pdf_malformed(folder: Path) -> str:
    """A PDF header, half a page object, then garbage."""
    whole = _pdf(*_page(_stream(b"BT /F1 12 Tf 72 712 Td (1.00) Tj ET")))
    (folder / "malformed.pdf").write_bytes(whole[: len(whole) // 2] + os.urandom(4096))
    return "malformed.pdf"


def pdf_deeply_nested(folder: Path, depth: int = 200_000) -> str:
    """Arrays nested ``depth`` deep in the page's resources and content, and a page tree whose
    nodes each hold the next."""
    nested = b"[" * depth + b"]" * depth
    content = b"BT /F1 12 Tf 72 712 Td " + nested + b" TJ ET"
    objects = _page(_stream(content), b"<< /Font << /F1 5 0 R >> /Deep " + nested + b" >>")
    (folder / "nested.pdf").write_bytes(_pdf(*objects))
    return "nested.pdf"
