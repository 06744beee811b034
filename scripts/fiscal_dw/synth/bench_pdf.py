"""Benchmark rows for PDF input: synthetic PDF corpora of growing size.

    fiscal-dw bench --pdf [--sizes 10 100 1000] [--no-run] [--markdown FILE]

Per size a corpus is generated as PDFs (``synth --format pdf``: both templates, fault rate
0.2, two years) and measured three ways:

- the PDF stage: the documents folder to raw CSVs (``extract_folder_to`` on both cores, in a
  process of its own), its pages/s (wall and per CPU-second), the peak resident memory of its
  largest process and of all its processes at once; beside it ``pdftotext -layout`` on the
  same files, two at a time (only here, never in a load; left out with a note when poppler's
  pdftotext is not installed);
- cell accuracy: every amount printed in the nine tables (``printed_cells.jsonl``) found in its
  raw row and column (``cell_accuracy``), and amounts read where none was printed;
- end to end (unless ``--no-run``): ``fiscal-dw run --docs`` into a fresh warehouse, then
  recall of the injected faults and false positives against the answer key, as for text.
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from fiscal_dw import PROJECT_DIR

BIN = Path(sys.executable).parent
QUIET = {"DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "GX_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1"}
_EXTRACT = ("import sys\nfrom pathlib import Path\nfrom fiscal_dw.extract import extract_folder_to\n"
            "extract_folder_to(Path(sys.argv[1]), Path(sys.argv[2]), workers=int(sys.argv[3]))\n")


@dataclass
class PdfSizeResult:
    documents: int
    pages: int
    corpus_mb: float
    generate_seconds: float = 0.0
    extract_seconds: float = 0.0
    extract_cpu_seconds: float = 0.0
    pages_per_s: float = 0.0
    pages_per_cpu_s: float = 0.0
    peak_rss_mb: float = 0.0       # the largest process of the PDF stage
    tree_peak_mb: float = 0.0      # all its processes at once (sampled)
    pdftotext_seconds: float | None = None
    pdftotext_pages_per_s: float | None = None
    pdftotext_pages_per_cpu_s: float | None = None
    cells_printed: int = 0
    cells_read: int = 0
    cells_extra: int = 0
    cell_misses: str = ""
    run_seconds: float | None = None
    run_exit_code: int | None = None
    run_error: str = ""
    recall: float | None = None
    false_positives_error: int | None = None
    false_positives_warning: int | None = None

    @property
    def cell_accuracy(self) -> float | None:
        return self.cells_read / self.cells_printed if self.cells_printed else None


def _tree_rss(root: int) -> int:
    from fiscal_dw.synth.bench import _tree_rss as tree_rss

    return tree_rss(root)


def timed_process(command: list[str], env: dict[str, str]) -> tuple[float, float, float, float, int, str]:
    """(wall s, CPU s of the process and its children, peak MB of its largest process, peak MB
    of all its processes at once, exit code, output tail)."""
    wrapper = ("import resource, subprocess, sys\n"
               "code = subprocess.run(sys.argv[1:]).returncode\n"
               "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
               "print(u.ru_maxrss, u.ru_utime + u.ru_stime, file=sys.stderr)\n"
               "sys.exit(code)")
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", wrapper, *command], cwd=PROJECT_DIR, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    samples: list[int] = []

    def sample() -> None:
        while process.poll() is None:
            samples.append(_tree_rss(process.pid))
            time.sleep(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = process.communicate()
    sampler.join()
    wall = time.perf_counter() - started
    last = stderr.strip().splitlines()[-1].split() if stderr.strip() else ["0", "0"]
    try:
        peak_kib, cpu = int(last[0]), float(last[1])
    except (ValueError, IndexError):
        peak_kib, cpu = 0, 0.0
    tail = (stdout[-2000:] + "\n" + stderr[-2000:]).strip()
    return wall, cpu, peak_kib / 1024, max(samples, default=0) / 2**20, process.returncode, tail


def pdftotext_seconds(files: list[Path], workers: int = 2) -> tuple[float, float] | None:
    """(wall s, CPU s) of ``pdftotext -layout`` over the files, ``workers`` at a time; None
    without it."""
    tool = shutil.which("pdftotext")
    if tool is None:
        return None
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_before = usage.ru_utime + usage.ru_stime
    started = time.perf_counter()

    def one(path: Path) -> None:
        subprocess.run([tool, "-layout", str(path), "-"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, files))
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, usage.ru_utime + usage.ru_stime - cpu_before


def run_pdf_size(documents: int, work: Path, end_to_end: bool = True, workers: int = 2) -> PdfSizeResult:
    from fiscal_dw.synth import AnswerKey, generate_corpus, score_detection
    from fiscal_dw.synth.cell_accuracy import score_corpus

    size_dir = work / f"pdf{documents}"
    shutil.rmtree(size_dir, ignore_errors=True)
    docs, raw = size_dir / "docs", size_dir / "raw"
    started = time.perf_counter()
    generate_corpus(docs, departments=max(1, documents // 2), years=2 if documents > 1 else 1,
                    fault_rate=0.2, seed=documents, document_format="pdf", workers=workers)
    generated = time.perf_counter() - started
    key = AnswerKey.load(docs / "answer_key.json")
    files = sorted(docs.glob("*.pdf"))
    result = PdfSizeResult(documents=len(files), pages=sum(d.pdf_pages for d in key.documents),
                           corpus_mb=round(sum(p.stat().st_size for p in files) / 2**20, 1),
                           generate_seconds=round(generated, 2))
    env = {**os.environ, **QUIET}
    wall, cpu, peak, tree, code, tail = timed_process(
        [sys.executable, "-c", _EXTRACT, str(docs), str(raw), str(workers)], env)
    if code != 0:
        raise RuntimeError(f"PDF stage failed:\n{tail}")
    result.extract_seconds, result.extract_cpu_seconds = round(wall, 2), round(cpu, 2)
    result.pages_per_s = round(result.pages / wall, 1)
    result.pages_per_cpu_s = round(result.pages / cpu, 1) if cpu else 0.0
    result.peak_rss_mb, result.tree_peak_mb = round(peak, 1), round(tree, 1)
    measured = pdftotext_seconds(files, workers)
    if measured is not None:
        result.pdftotext_seconds = round(measured[0], 2)
        result.pdftotext_pages_per_s = round(result.pages / measured[0], 1)
        result.pdftotext_pages_per_cpu_s = round(result.pages / measured[1], 1) if measured[1] else None
    cells = score_corpus(docs, raw)
    result.cells_printed, result.cells_read, result.cells_extra = cells.printed, cells.read, cells.extra
    result.cell_misses = ", ".join(f"{k} {v}" for k, v in cells.misses.most_common())
    if end_to_end:
        warehouse = size_dir / "fiscal.duckdb"
        run_wall, _, _, _, code, tail = timed_process(
            [str(BIN / "fiscal-dw"), "run", "--docs", str(docs), "--warehouse", str(warehouse)], env)
        result.run_seconds, result.run_exit_code = round(run_wall, 2), code
        if code not in (0, 1):  # 1: checks found something (faults are injected)
            result.run_error = tail.splitlines()[-1][:300] if tail else f"exit {code}"
        else:
            detection = score_detection(warehouse, key)
            result.recall = detection.recall
            result.false_positives_error = sum(fp["severity"] == "error" for fp in detection.false_positives)
            result.false_positives_warning = len(detection.false_positives) - result.false_positives_error
    return result


def markdown(results: list[PdfSizeResult]) -> str:
    lines = ["| PDF documents | pages | MB | PDF stage s (CPU s) | pages/s (per CPU-s) | "
             "peak MB (largest process / all at once) | pdftotext -layout pages/s (per CPU-s) | "
             "ours / pdftotext (per CPU-s) | "
             "cells read / printed | cell accuracy | extra cells | run s | recall | "
             "false positives (error / warning) |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        ratio = (f"{r.pages_per_s / r.pdftotext_pages_per_s:.2f}" if r.pdftotext_pages_per_s
                 else "– (no pdftotext)")
        if r.pdftotext_pages_per_cpu_s and r.pages_per_cpu_s:
            ratio += f" ({r.pages_per_cpu_s / r.pdftotext_pages_per_cpu_s:.2f})"
        pdftotext = ("–" if r.pdftotext_pages_per_s is None
                     else f"{r.pdftotext_pages_per_s} ({r.pdftotext_pages_per_cpu_s or '–'})")
        accuracy = f"{r.cell_accuracy:.2%}" if r.cell_accuracy is not None else "–"
        recall = f"{r.recall:.0%}" if r.recall is not None else "–"
        fps = (f"{r.false_positives_error} / {r.false_positives_warning}"
               if r.false_positives_error is not None else "–")
        run = "–" if r.run_seconds is None else (f"{r.run_seconds}" + (" (failed)" if r.run_error else ""))
        lines.append(
            f"| {r.documents} | {r.pages} | {r.corpus_mb} | {r.extract_seconds} ({r.extract_cpu_seconds}) | "
            f"{r.pages_per_s} ({r.pages_per_cpu_s}) | {r.peak_rss_mb} / {r.tree_peak_mb} | "
            f"{pdftotext} | {ratio} | "
            f"{r.cells_read} / {r.cells_printed} | {accuracy} | {r.cells_extra} | {run} | {recall} | {fps} |")
    failed = [r for r in results if r.run_error]
    for r in failed:
        lines.append(f"\nEnd-to-end run at {r.documents} documents failed: {r.run_error}")
    return "\n".join(lines)


def main(sizes: list[int], work: Path, markdown_file: Path | None, end_to_end: bool) -> int:
    work.mkdir(parents=True, exist_ok=True)
    results = []
    for size in sizes:
        result = run_pdf_size(size, work, end_to_end)
        results.append(result)
        print(json.dumps(asdict(result), ensure_ascii=False), flush=True)
    table = markdown(results)
    print(table)
    if markdown_file:
        markdown_file.write_text(table + "\n", encoding="utf-8")
    return 0

