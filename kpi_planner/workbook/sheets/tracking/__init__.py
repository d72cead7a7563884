"""The tracking sheets: Actuals, Diagnosis, Goals and Channel actuals."""
