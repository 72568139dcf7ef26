"""Prefect blocks: credentials for the cloud providers, kept as SecretStr and never logged."""
