"""Django-free analytics core: formats, scoring, roll-up and unit codes.

Nothing in this package may import Django or any other ``dugnad`` package
(enforced by import-linter, see ``.importlinter``).
"""
