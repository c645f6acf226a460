"""Models of persisted score runs (filled by the scoring issue)."""
