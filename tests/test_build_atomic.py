"""Builds are atomic: a killed build leaves the previous release, concurrent builds never mix."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from gerokg.artefacts.build import JOURNAL, build_release

ROOT = Path(__file__).resolve().parents[1]
CLAIMS = ROOT / "ontology" / "claims" / "review-claims.yaml"


def _variant_claims(tmp: Path) -> Path:
    """The curated claims with one comment changed: a release that differs in a few files."""
    text = CLAIMS.read_text(encoding="utf-8")
    # the first curator comment gains two words (the re-curation rewrote the comment this used)
    variant = text.replace('\n    comment: "', '\n    comment: "Variant build. ', 1)
    assert variant != text
    path = tmp / "claims-variant.yaml"
    path.write_text(variant, encoding="utf-8")
    return path


def _consistent(out: Path) -> dict[str, str]:
    """The manifest, after checking every file in the folder against it."""
    manifest = {}
    for line in (out / "MANIFEST.sha256").read_text().splitlines():
        digest, name = line.split("  ", 1)
        manifest[name] = digest
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest, f"{name} does not match the manifest"
    # gerokg-diff.* describe the change from the release the folder held before, and the RO-Crate
    # lists them, so these differ with the folder's history (each still matches the manifest);
    # every other file belongs to exactly one of the two releases
    return {k: v for k, v in manifest.items() if not k.startswith("gerokg-diff.") and k != "ro-crate-metadata.json"}


def _build_cmd(out: Path, claims: Path) -> list[str]:
    code = ("import sys; from gerokg.artefacts.build import build_release; "
            f"build_release({str(out)!r}, claims_path={str(claims)!r})")
    return [sys.executable, "-c", code]


def test_killed_builds_leave_a_whole_release(tmp_path: Path) -> None:
    from gerokg.artefacts.build import _locked, _recover

    variant = _variant_claims(tmp_path)
    build_release(tmp_path / "reference-variant", claims_path=variant)
    after = _consistent(tmp_path / "reference-variant")
    out = tmp_path / "out"
    build_release(out)
    before = _consistent(out)
    assert before != after
    kept = tmp_path / "reference-curated"
    shutil.copytree(out, kept)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    outcomes = []
    # kill points from reading the sources to moving the files into place (a build takes ~5 s)
    delays = (0.5, 1.5, 3.0, 4.5, 6.0)
    for delay in delays:
        proc = subprocess.Popen(_build_cmd(out, variant), env=env)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        if (out / JOURNAL).exists():  # killed while moving files: recovery finishes the move
            with _locked(out):
                _recover(out)
        state = _consistent(out)  # every file matches the manifest: never a mix
        assert state in (before, after)
        outcomes.append("new" if state == after else "old")
        if delay == delays[-1]:  # a build over what a killed build left gives the curated release
            build_release(out)
        else:  # back to the curated release, as built above (a build each time took ~6 s)
            shutil.rmtree(out)
            shutil.copytree(kept, out)
        assert _consistent(out) == before
    assert "old" in outcomes
    assert not list(out.glob(".staging-*"))


def test_concurrent_builds_do_not_mix(tmp_path: Path) -> None:
    out = tmp_path / "out"
    variant = _variant_claims(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    procs = [subprocess.Popen(_build_cmd(out, c), env=env) for c in (CLAIMS, variant, CLAIMS, variant)]
    assert [p.wait(timeout=300) for p in procs] == [0, 0, 0, 0]
    _consistent(out)
    assert not (out / JOURNAL).exists()
    assert not list(out.glob(".staging-*"))
