"""Readiness and engagement health reports: produced by jobs (jobs/), read here."""
