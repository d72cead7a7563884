"""The Company sheet: a company's goal, its segments' funnels and their roll-up (grid,
layout, values)."""
