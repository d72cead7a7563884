"""The ``kpi-planner`` command: one module per command, thin over the plan computation and the
engine.
"""
