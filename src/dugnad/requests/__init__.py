"""Requests across levels: what a municipality or county asks another level to act on (``dugnad.requests``)."""
