"""The What-if sheet: where it sits (grid), its layout, formulas and values."""
