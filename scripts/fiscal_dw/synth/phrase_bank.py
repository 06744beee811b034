"""The wordings of the synthetic 情况说明: for each kind of figure several phrasings of the
national boilerplate (as the Jinan, Qingdao and Shanghai Putuo final accounts word it, and
variants of those), one chosen per document from the generator's random stream, so that the
checks are measured on more than one wording. Each phrasing is a format string; the fields
are the printed figures (already spaced and with their unit) and labels.
"""
from __future__ import annotations

import random
from dataclasses import dataclass

# a share of a stated whole: 占 X%, 占比 X%, 所占比重为 X%
SHARES = ("占{pct}", "占比{pct}", "所占比重为{pct}", "占比为{pct}")
# a completion rate beside its budget and actual
RATES = ("完成年初预算的{pct}", "完成率为{pct}", "决算数为年初预算的{pct}", "为年初预算的{pct}")
THREE_PUBLIC_RATES = ("完成全年预算的{pct}", "完成率为{pct}", "为全年预算的{pct}")
# an item's 年初预算 and 支出决算 (c: the document's comma)
ITEM_FIGURES = ("年初预算为{budget}{c}支出决算为{actual}", "年初预算{budget}{c}支出决算{actual}",
                "年初预算数为{budget}{c}决算数为{actual}")
# a change on the year before: {label} names the subject, {prior} the prior year
YEAR_ON_YEAR = ("与{prior}年度相比，{label}{direction}{amount}，{rate_direction}{pct}。",
                "{label}比{prior}年度{direction}{amount}，{rate_direction}{pct}。",
                "{label}较上年{direction}{amount}，{rate_direction}{pct}。",
                "与上年相比，{label}{direction}{amount}，{rate_direction}{pct}。")
UNCHANGED = ("与{prior}年度持平。", "与上年持平。", "较上年持平。")
# a change on the year before with the prior year's amount printed, in the current amount's
# sentence ({prior_amount}: the prior year's figure with its unit); '' keeps YEAR_ON_YEAR
YEAR_ON_YEAR_PRIOR = ("比{prior}年度的{prior_amount}{direction}{amount}，{rate_direction}{pct}。",
                      "与{prior}年度的{prior_amount}相比，{direction}{amount}，{rate_direction}{pct}。",
                      "上年为{prior_amount}，{direction}{amount}，{rate_direction}{pct}。",
                      "较上年的{prior_amount}{direction}{amount}，{rate_direction}{pct}。")
# a 政府性基金 item: its 类/款/项 path and its 支出决算 (Putuo: path, then 年初预算 / 支出决算)
FUND_ITEMS = ("{path}支出决算为{amount}。", "“{path}”{amount}。", "{path}。年初预算为{budget}，支出决算为{amount}。")
# the share of 一般公共预算财政拨款支出 in 本年支出合计
GENERAL_BUDGET_SHARE = ("占本年支出合计的{pct}", "占本年支出合计的比重为{pct}", "占比{pct}")


@dataclass(frozen=True)
class Phrases:
    """The phrasing of each kind of figure in one document."""

    share: str
    rate: str
    three_public_rate: str
    item_figures: str
    year_on_year: str
    unchanged: str
    general_budget_share: str
    year_on_year_prior: str = ""
    fund_item: str = FUND_ITEMS[0]

    def yoy(self, prior: int, label: str, delta_text: str, pct_text: str, up: bool) -> str:
        return self.year_on_year.format(prior=prior, label=label, direction="增加" if up else "减少",
                                        amount=delta_text, rate_direction="增长" if up else "下降", pct=pct_text)

    def yoy_prior(self, prior: int, prior_text: str, delta_text: str, pct_text: str, up: bool) -> str:
        """The change with the prior year's amount printed (YEAR_ON_YEAR_PRIOR; the first when
        the document's own phrasing prints none)."""
        return (self.year_on_year_prior or YEAR_ON_YEAR_PRIOR[0]).format(
            prior=prior, prior_amount=prior_text, direction="增加" if up else "减少", amount=delta_text,
            rate_direction="增长" if up else "下降", pct=pct_text)


def choose_phrases(rng: random.Random) -> Phrases:
    """One phrasing per kind, drawn from the document's random stream."""
    return Phrases(share=rng.choice(SHARES), rate=rng.choice(RATES),
                   three_public_rate=rng.choice(THREE_PUBLIC_RATES), item_figures=rng.choice(ITEM_FIGURES),
                   year_on_year=rng.choice(YEAR_ON_YEAR), unchanged=rng.choice(UNCHANGED),
                   general_budget_share=rng.choice(GENERAL_BUDGET_SHARE),
                   year_on_year_prior="" if rng.random() < 0.4 else rng.choice(YEAR_ON_YEAR_PRIOR),
                   fund_item=rng.choice(FUND_ITEMS))

# A paragraph's 支出决算 against its 年初预算 (the word from the printed figures), the reason
# after it, and a fund that had nothing: the wordings of Jinan, Qingdao and Putuo and variants.
# Drawn from a stream of their own (narrative._statement_phrasing), so that adding them leaves
# every other draw of a corpus as it was.
DIRECTIONS = ("决算数{word}年初预算数", "决算数{word}预算数", "支出决算数{word}年初预算数", "决算数{word}全年预算数")
LEVEL = ("决算数与年初预算数持平", "与年初预算基本持平", "决算数与预算数持平", "决算数等于年初预算数")
REASONS = ("的主要原因是{reason}", "的主要原因：{reason}", "，主要是由于{reason}", "，主要系{reason}")
FUND_NONE = ("本部门没有{fund}财政拨款收支。", "{dept}{year}年度无{fund}预算财政拨款收入和支出。",
             "本部门未使用{fund}预算安排的支出。", "本年度无{fund}预算财政拨款收入和支出。")
