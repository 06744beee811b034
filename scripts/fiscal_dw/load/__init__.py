"""One load: documents -> dbt build -> Great Expectations -> history and publish -> the load report.

Exit codes of ``fiscal-dw run`` (README, "Exit codes of run"): 0 clean (warning-severity
findings allowed); 1 a check of error severity failed (published all the same) or the build
failed (nothing published); 2 bad input or usage. When both apply, 2 wins over 1."""

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2
