"""Web views, one module per page family."""
