"""Users, memberships (user × unit × role) and permission rules."""
