"""Scheduled jobs (run hourly by the scheduler)."""
