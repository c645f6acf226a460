"""Template tags of the web app."""
