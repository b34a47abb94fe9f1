"""Importing crew lists, schedules and calls from CSV: all or nothing, idempotent."""
