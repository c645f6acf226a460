"""Deterministic demo data: indicators, values, users and memberships."""
