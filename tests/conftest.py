"""Shared fixtures: the built release, the embedded store, the reasoner, and the shared data."""

from __future__ import annotations

import glob
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"


def pytest_configure(config: pytest.Config) -> None:
    """Each test session computes the release, its SHACL report and the reasoner's conclusions
    afresh, in a cache folder of its own (never the user's ~/.cache/gerokg)."""
    import tempfile

    os.environ["GEROKG_CACHE_DIR"] = tempfile.mkdtemp(prefix="gerokg-test-cache-")


def owlapi_classpath() -> str | None:
    """The classpath of Debian's libowlapi-java, or None when it is not installed."""
    if not shutil.which("java") or not glob.glob("/usr/share/java/owlapi*.jar"):
        return None
    return "/usr/share/java/*"


@pytest.fixture(scope="session")
def review_path() -> Path:
    path = SHARED / "review.txt"
    if not path.is_file():
        pytest.skip(f"the review text is not at {path}")
    return path


@pytest.fixture(scope="session")
def review_text(review_path: Path):
    from gerokg.sources.review import ReviewText

    return ReviewText.from_path(review_path)


@pytest.fixture(scope="session")
def refdata() -> Path:
    path = SHARED / "refdata"
    if not path.is_dir():
        pytest.skip(f"reference data snapshots are not at {path}")
    return path


@pytest.fixture(scope="session")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The release, built once per session (claims checked against the review when present)."""
    from gerokg.artefacts.build import build_release

    out = tmp_path_factory.mktemp("release")
    review = SHARED / "review.txt"
    build_release(out, review=review if review.is_file() else None)
    return out


@pytest.fixture(scope="session")
def sources():
    from gerokg.release.assemble import load_sources_data

    return load_sources_data()


@pytest.fixture(scope="session")
def graphs(sources):
    from gerokg.release.assemble import build_graphs

    return build_graphs(sources)


@pytest.fixture(scope="session")
def full_graph(graphs):
    return graphs["full"]


@pytest.fixture(scope="session")
def store(full_graph):
    from gerokg.release.store import GerokgStore

    s = GerokgStore()
    s.add_graph(full_graph)
    return s


@pytest.fixture(scope="session")
def reasoning(full_graph):
    from gerokg.release.reason import java_version, reason

    if java_version() is None:
        pytest.skip("no Java runtime: HermiT cannot run")
    return reason(graph=full_graph)


@pytest.fixture(scope="session", autouse=True)
def _no_proxy_env():
    # tests talk only to 127.0.0.1; a proxy setting must not reroute them
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        os.environ.pop(var, None)
    os.environ["NO_PROXY"] = "127.0.0.1,localhost"
    yield
