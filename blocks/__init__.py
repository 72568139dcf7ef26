"""Prefect blocks: credentials for the cloud providers (SecretStr, never logged) and artifact storage."""
