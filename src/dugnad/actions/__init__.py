"""The actions domain (planned; see its issue)."""
