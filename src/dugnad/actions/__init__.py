"""Joint actions co-owned across government levels, cooperation agreements and the action catalogue."""
