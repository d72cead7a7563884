"""Writing files safely: atomic writes, unique output names, the one CSV writer and the one
JSON writer."""
