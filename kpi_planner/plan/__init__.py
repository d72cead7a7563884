"""Every number of a plan, computed once from its inputs (one plan or a frame of many)."""
