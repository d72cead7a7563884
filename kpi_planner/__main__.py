"""``python -m kpi_planner`` runs the ``kpi-planner`` command."""

from kpi_planner.cli.main import main

main()
