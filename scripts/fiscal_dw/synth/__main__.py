"""python -m fiscal_dw.synth: the command line of the synthetic corpus (see command_line)."""
import sys

from fiscal_dw.synth.command_line import main

sys.exit(main())
