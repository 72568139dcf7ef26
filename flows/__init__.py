"""Prefect flows: they only order the tasks."""
