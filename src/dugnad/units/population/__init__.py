"""Population of units on 1 January: the shipped snapshot, its sources and the builder (no Django)."""
