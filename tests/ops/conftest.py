"""The moto S3 server and bucket fixtures of tests/storage, for the operator commands' tests."""

import logging

import pytest

from tests.storage.conftest import bucket, moto_endpoint, s3_env  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _quiet_root_logger(monkeypatch: pytest.MonkeyPatch) -> None:
    """manim's import hangs a rich handler on the root logger at INFO: botocore's and moto's chatter
    would land in the command output the tests read. The CLI never imports manim to list or review."""
    monkeypatch.setattr(logging.getLogger(), "handlers", [])
    monkeypatch.setenv("COLUMNS", "200")  # rich tables at full width, as in a terminal
