"""The networks domain (planned; see its issue)."""
