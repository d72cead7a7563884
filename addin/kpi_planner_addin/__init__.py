"""The kpi-planner Excel add-in: custom functions and ribbon macros over kpi_engine.

The importable name is ``kpi_planner_addin`` (not a generic ``addin``), because Excel
imports it by name next to other add-ins' code.
"""
