"""Dagster definitions by concern (dbt, delivery, ...), assembled in handoff.definitions."""
