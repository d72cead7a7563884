"""The Pipeline sheet: where it sits (grid), its layout and values."""
