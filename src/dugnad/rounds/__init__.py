"""Reporting rounds: rounds, submissions, narratives, survey answers, review, snapshots and audit."""
