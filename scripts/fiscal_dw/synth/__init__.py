"""Synthetic corpus of department final accounts (being split into modules: see render)."""
from fiscal_dw.synth.render import *  # noqa: F401,F403
from fiscal_dw.synth.render import main  # noqa: F401
