"""The Channels sheet: where it sits (grid), its layout, formulas and values."""
