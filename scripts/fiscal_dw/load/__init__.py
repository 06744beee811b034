"""One load: documents -> dbt build -> Great Expectations -> history and publish -> the load report."""
