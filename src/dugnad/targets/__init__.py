"""Local 2030 targets per unit and indicator, versioned, and the ambition gap between levels (issue #15 item 1)."""
