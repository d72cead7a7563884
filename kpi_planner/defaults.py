"""Defaults the command line needs before it imports the engine (kept light to import)."""

#: The plan year of the built-in example and of a plan that does not say.
DEFAULT_PLAN_YEAR = 2027
