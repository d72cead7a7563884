"""Where the plan year lands: the opportunities in hand weighted three ways, their range, the
gap to the goal and what closes it, and next quarter's pipeline pacing."""
