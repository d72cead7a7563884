"""Many plans at once: ``kpi-planner fill``, its chunks, the plans of a table's rows and the
summary.
"""
