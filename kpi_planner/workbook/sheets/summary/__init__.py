"""The Summary sheet: the plan on one page, for a board (:mod:`.layout`)."""
