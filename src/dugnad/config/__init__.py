"""Project configuration: typed environment settings and the Django settings module."""
