"""Persisted score runs and the selectors that read them."""
