"""The web app has no models of its own."""
