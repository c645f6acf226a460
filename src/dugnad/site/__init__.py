"""The static site: the public portal exported as files with relative links (``dugnad site build``, docs/portal.md)."""
