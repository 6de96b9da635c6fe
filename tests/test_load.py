"""A bounded load test of gerokg serve on 127.0.0.1, and a clean SIGTERM shutdown."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from load import run_load  # noqa: E402

pytestmark = pytest.mark.server


def test_concurrent_clients_without_errors_and_clean_shutdown(release: Path) -> None:
    result = run_load(clients=16, requests=400, release=str(release / "gerokg-full.nt"), timeout=240)
    assert result["errors"] == 0, result["error_samples"]
    assert result["requests"] == 400
    assert result["sigterm_exit_code"] == 0
    assert result["sigterm_stop_seconds"] < 15
    assert result["worker_processes"] >= 2
    assert result["leftover_processes"] == []
