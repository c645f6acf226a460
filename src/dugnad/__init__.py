"""Dugnad: coordinated multi-level SDG reporting and joint action."""

__version__ = "0.1.0"
