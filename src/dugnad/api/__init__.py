"""REST API (django-ninja), added with the rounds work."""
