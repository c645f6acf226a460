"""The public portal's data: every unit, goal, target and indicator as one precomputed snapshot, cached by data revision."""
