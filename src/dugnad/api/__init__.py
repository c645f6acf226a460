"""REST API (django-ninja): rounds, submissions, values, narratives, survey answers and status overview."""
