"""Models of reporting rounds (see the rounds issue)."""
