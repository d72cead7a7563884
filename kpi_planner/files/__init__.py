"""Writing files safely: atomic writes, unique output names, the one CSV writer."""
