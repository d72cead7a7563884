"""Who carries the plan: each role's heads, hires and cost for the plan's monthly volumes."""
