"""kpi-planner: the command line (and, with later issues, workbooks and the Excel add-in).

The math lives in :mod:`kpi_engine`; this package only adapts it.
"""
