"""Import runs with their validation reports and provenance; connectors to outside sources."""
