"""Synthetic corpus of department final accounts, with injected faults and an answer key.

    python -m fiscal_dw.synth --out DIR --departments N --years Y --fault-rate F --seed S
    python -m fiscal_dw.synth --out DIR --score WAREHOUSE"""
from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from fiscal_dw.synth.answer_key import ANSWER_KEY_FILE, AnswerKey
from fiscal_dw.synth.corpus import generate_corpus
from fiscal_dw.synth.scoring import score_detection


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m fiscal_dw.synth", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="output folder (created)")
    parser.add_argument("--departments", type=int, default=10)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--fault-rate", type=float, default=0.3,
                        help="share of documents with an injected fault (and, separately, with a rounding adjustment)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=None, help="processes (default: automatic)")
    parser.add_argument("--format", choices=("txt", "pdf", "both"), default="txt",
                        help="documents as text (default), as PDFs with ruled tables (two templates; "
                             "printed_cells.jsonl lists the amounts each prints), or both (PDFs in OUT/pdf)")
    parser.add_argument("--score", type=Path, default=None, metavar="WAREHOUSE",
                        help="instead of generating, score WAREHOUSE against the key in --out")
    args = parser.parse_args(argv)
    if args.score is not None:
        key = AnswerKey.load(args.out / ANSWER_KEY_FILE)
        print(score_detection(args.score, key).summary())
        return 0
    started = time.monotonic()
    try:
        key = generate_corpus(args.out, args.departments, args.years, args.fault_rate, args.seed,
                              workers=args.workers, document_format=args.format)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    kinds: dict[str, int] = {}
    for injection in key.injections:
        kinds[injection.kind] = kinds.get(injection.kind, 0) + 1
    print(f"synth: {len(key.documents)} document(s) in {time.monotonic() - started:.1f} s -> {args.out}")
    print(f"  injections: {len(key.injections)} ({len(key.faults())} faults) "
          + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
    print(f"  answer key: {args.out / ANSWER_KEY_FILE}")
    return 0
