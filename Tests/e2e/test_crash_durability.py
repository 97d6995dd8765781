"""Durability stays proven: a few SIGKILL trials under concurrent writes on each
database (scripts/crash-trials runs as many as you like)."""
import os

import pytest

from conftest import ROOT
from crash_trials import run_trials


def binary():
    path = os.environ.get("THAW_RELEASE_BIN") or str(ROOT / ".build" / "release" / "thaw")
    assert os.path.exists(path), f"the crash trials run the release build: {path} is missing"
    return path


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_every_acknowledged_write_survives_sigkill(backend, tmp_path):
    if backend == "postgres" and not os.environ.get("THAW_TEST_POSTGRES_URL"):
        message = "PostgreSQL crash trials NOT RUN: THAW_TEST_POSTGRES_URL is not set (scripts/test starts a private cluster)"
        if os.environ.get("THAW_REQUIRE_POSTGRES") == "1" or os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    total, lost = run_trials(binary(), backend, trials=3, directory=str(tmp_path))
    assert total > 50, f"only {total} writes were acknowledged before the kills: the trials tested too little"
    assert not lost, f"acknowledged writes lost: {lost[:20]}"
