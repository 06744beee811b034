"""尾差调整 of 公开06: where separately rounded items miss their class or 经费合计 by more than
the rules' tolerance, items absorb the difference, as publishers do."""
from __future__ import annotations

from collections.abc import Sequence

from fiscal_dw.synth.catalogue import ECONOMIC_CLASSES, PERSONNEL_CLASSES, THREE_PUBLIC_CODES


TOLERANCE = 2  # the reconciliation rules' tolerance, 0.02 万元, in hundredths of 万元
THREE_PUBLIC_ECONOMIC = frozenset(THREE_PUBLIC_CODES.values())


def _sign(value: int) -> int:
    return (value > 0) - (value < 0)


def foot_economic(economic: dict[str, int], totals: dict[str, int]) -> None:
    """尾差调整 of 公开06, in place: a class or 经费合计 over many separately rounded items
    (up to 20) can miss their printed sum by 0.03 or more, which publishers do not print.
    Where a class misses its items by more than the tolerance, its largest item absorbs the
    difference; where a 经费合计 still misses its items, items of classes leaning the same way
    absorb one step each (each class stays within the tolerance). Classes and totals keep
    their values, so 公开05 vs 公开06 is untouched; 三公 items (30212 …) are never the ones
    adjusted, since 公开09 prints them too."""
    def adjustable(items: Sequence[tuple[str, str]]) -> list[str]:
        codes = [code for code, _ in items if economic[code] and code not in THREE_PUBLIC_ECONOMIC]
        return sorted(codes, key=lambda code: (-economic[code], code))

    drift: dict[str, int] = {}
    for class_code, _, items in ECONOMIC_CLASSES:
        drift[class_code] = economic[class_code] - sum(economic[code] for code, _ in items)
        candidates = adjustable(items)
        if abs(drift[class_code]) > TOLERANCE and candidates:
            economic[candidates[0]] += drift[class_code]
            drift[class_code] = 0
    for category, total in totals.items():
        classes = [(c, items) for c, _, items in ECONOMIC_CLASSES
                   if (c in PERSONNEL_CLASSES) == (category == "personnel")]
        off = total - sum(economic[code] for _, items in classes for code, _ in items)
        while abs(off) > TOLERANCE:
            step = _sign(off)
            leaning = [(c, adjustable(items)) for c, items in classes if _sign(drift[c]) == step]
            leaning = [(c, codes) for c, codes in leaning if codes]
            if not leaning:
                break  # nothing left that keeps its class within the tolerance (never seen)
            class_code, codes = max(leaning, key=lambda pair: abs(drift[pair[0]]))
            economic[codes[0]] += step
            drift[class_code] -= step
            off -= step
