"""The publications domain (planned; see its issue)."""
