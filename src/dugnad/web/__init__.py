"""Web pages: sign-in, unit pages, the demo banner."""
