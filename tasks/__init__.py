"""Thin Prefect tasks, one module per stage: retry policy and naming around `mathcast.stages`."""
