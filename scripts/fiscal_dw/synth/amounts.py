"""Amounts as the documents print them: 元 → hundredths of 万元 rounded half-up, the 2-decimal
and percentage formats, proportional splits and digit-transposition typos."""
from __future__ import annotations

import random
from collections.abc import Sequence


def wan(yuan: int) -> int:
    """元 → hundredths of 万元, rounded half-up (yuan ≥ 0)."""
    return (yuan + 50) // 100


def fmt(cents: int, separators: bool = True) -> str:
    # cents / 100 is within 1e-12 of the decimal value for any amount printed here, far
    # from a rounding boundary of the 2-decimal format, so this is exact (and fast)
    return f"{cents / 100:,.2f}" if separators else f"{cents / 100:.2f}"


def fmt_short(cents: int, separators: bool = True) -> str:
    """As prose prints it: trailing zeros dropped ('377.5', '151')."""
    text = fmt(cents, separators)
    return text.rstrip("0").rstrip(".") if "." in text else text


def ratio_hundredths(numerator: int, denominator: int) -> int | None:
    """numerator / denominator as a percentage in hundredths, rounded half-up."""
    if denominator == 0:
        return None
    sign = -1 if (numerator < 0) != (denominator < 0) and numerator != 0 else 1
    n, d = abs(numerator), abs(denominator)
    return sign * ((n * 20000 + d) // (2 * d))


def fmt_pct(hundredths: int, keep_zeros: bool = False, decimals: int = 2) -> str:
    if decimals == 1:
        tenths = (abs(hundredths) + 5) // 10
        text = f"{tenths // 10}.{tenths % 10}"
    else:
        text = f"{abs(hundredths) // 100}.{abs(hundredths) % 100:02d}"
    if not keep_zeros:
        text = text.rstrip("0").rstrip(".")
    return ("-" if hundredths < 0 else "") + text


def split_total(total: int, weights: Sequence[float]) -> list[int]:
    """Integer parts of `total` proportional to `weights`, summing exactly to `total`."""
    weight_sum = sum(weights)
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    parts = [int(total * w / weight_sum) for w in weights]
    parts[max(range(len(weights)), key=lambda i: weights[i])] += total - sum(parts)
    return parts


def transpose_digits(cents: int, rng: random.Random) -> int | None:
    """A digit transposition typo (1,234.56 → 1,243.56), or None when none changes the value."""
    digits = list(str(abs(cents)).rjust(3, "0"))
    pairs = [i for i in range(len(digits) - 1) if digits[i] != digits[i + 1]]
    if not pairs:
        return None
    i = rng.choice(pairs)
    digits[i], digits[i + 1] = digits[i + 1], digits[i]
    return int("".join(digits))
