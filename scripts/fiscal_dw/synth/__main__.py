import sys

from fiscal_dw.synth import main

sys.exit(main())
