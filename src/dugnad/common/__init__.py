"""What every layer needs and no domain owns: atomic file writes with checksums, the demo label (pure Python, no Django)."""
