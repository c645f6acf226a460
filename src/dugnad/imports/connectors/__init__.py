"""Connectors that fetch statistics from outside sources (SSB PxWebApi, Klass …)."""
