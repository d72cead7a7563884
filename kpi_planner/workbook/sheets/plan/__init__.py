"""The Plan sheet: its inputs, volumes, KPIs and the timeline."""
