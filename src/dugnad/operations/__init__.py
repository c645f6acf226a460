"""Operations: health, worker heartbeat, backup and restore, sign-in lockout and error pages."""
