"""End-to-end tests of the web pages in a real browser: headless Chromium (Debian's ``chromium``)
driven by Selenium through Debian's ``chromedriver``, against ``gerokg serve`` on 127.0.0.1.

They walk the path a new user takes: search "everolimus", open its page and read how it is
classified (quotes, references), run "quantitative findings" for mice and download the CSV,
look at the pathway picture and follow an arrow to its claim, and use the SPARQL box.
Screenshots of each page are kept in ``tests/artifacts/screenshots`` (or ``$GEROKG_ARTIFACTS``).
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")

try:
    import selenium  # noqa: F401
    HAVE_SELENIUM = True
except ImportError:  # pragma: no cover - the test extras install it
    HAVE_SELENIUM = False

pytestmark = [
    pytest.mark.server,
    pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER and HAVE_SELENIUM),
                       reason="needs Debian's chromium and chromium-driver and the selenium package "
                              "(.ci/run installs them)"),
]

ARTIFACTS = Path(os.environ.get("GEROKG_ARTIFACTS", Path(__file__).parent / "artifacts")) / "screenshots"


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    """``gerokg serve`` as a new user runs it (with the reasoner when Java is here), on a free
    port; the test opens the address the command prints, and stops it with SIGTERM."""
    import queue
    import re
    import signal
    import subprocess
    import sys
    import threading

    # the pages' classifications need the reasoner's conclusions: serve answers from the
    # asserted facts unless --inferred is given (as gerokg query does)
    proc = subprocess.Popen([sys.executable, "-m", "gerokg", "serve", "--inferred", "--port", "0", "--timeout", "20"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(x) for x in proc.stderr], daemon=True).start()  # type: ignore[union-attr]
    seen, url = [], None
    deadline = time.monotonic() + 180
    while url is None and time.monotonic() < deadline and proc.poll() is None:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        seen.append(line)
        m = re.search(r"gerokg on (http://127\.0\.0\.1:\d+)/ ", line)
        url = m.group(1) if m else None
    try:
        assert url, "gerokg serve printed no address:\n" + "".join(seen)
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


@pytest.fixture(scope="module")
def downloads() -> Iterator[Path]:
    d = Path(tempfile.mkdtemp(prefix="gerokg-downloads-"))
    yield d
    shutil.rmtree(d, ignore_errors=True)


@pytest.fixture(scope="module")
def browser(downloads: Path) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not look for drivers online
    profile = tempfile.mkdtemp(prefix="gerokg-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM  # type: ignore[assignment]
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1280,1024"):
        opts.add_argument(arg)
    opts.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                           "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(60)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def shot(driver: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    height = driver.execute_script("return document.body.scrollHeight")
    driver.set_window_size(1280, min(max(int(height), 800), 6000))
    driver.save_screenshot(str(ARTIFACTS / f"{name}.png"))
    driver.set_window_size(1280, 1024)


def wait_for(driver: Any, css: str, timeout: float = 30) -> Any:
    """The first element matching ``css`` once the page shows it (after a form submit)."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout).until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))


def resources_outside(driver: Any, base: str) -> list[str]:
    """URLs of resources the page loaded from anywhere but the site."""
    names = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    return [n for n in names if not n.startswith(base)]


def unlabelled_controls(driver: Any) -> list[str]:
    """Form controls a screen reader could not name."""
    return driver.execute_script("""
      return Array.from(document.querySelectorAll('input:not([type=hidden]), textarea, select'))
        .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
        .map(el => el.outerHTML);""")


def test_search_everolimus_and_see_why_it_is_classified(site: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(site + "/")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert unlabelled_controls(browser) == []
    shot(browser, "00-home")
    box = browser.find_element(By.ID, "home-q")
    box.send_keys("everolimus")
    box.submit()
    wait_for(browser, "ol.hits")
    assert "/search?q=everolimus" in browser.current_url
    hits = browser.find_elements(By.CSS_SELECTOR, "ol.hits li a")
    assert [h.text for h in hits][0] == "everolimus"
    shot(browser, "01-search-everolimus")
    hits[0].click()
    assert browser.current_url.endswith("/term/CHEBI:68478")
    h1 = browser.find_element(By.TAG_NAME, "h1").text
    assert h1.startswith("everolimus") and "CHEBI:68478" in h1
    # asserted: a rapalog, stated by claim C0002
    parents = browser.find_element(By.CSS_SELECTOR, "ul.parents").text
    assert "rapalog" in parents and "C0002" in parents
    # classified: only BFO categories (from RO's domains), with the reasons; no drug class that no
    # claim states (ontology/MODELLING.md, section 5)
    if "no reasoner conclusions" in browser.page_source:
        pytest.skip("no Java here: the server runs without the reasoner's conclusions")
    items = {re.split(r" [A-Za-z]+:\d", li.find_element(By.TAG_NAME, "summary").text)[0]: li
             for li in browser.find_elements(By.CSS_SELECTOR, "ul.classified > li")}
    assert "material entity" in items
    assert not {"gerosuppressant", "mTORC1 inhibitor", "cancer-preventive agent"} & set(items)
    assert "the relation's domain" in items["material entity"].get_attribute("textContent")
    # the claim list on the page gives quotes and reference numbers
    claims = browser.find_elements(By.CSS_SELECTOR, "article.claim")
    assert len(claims) == 12
    assert any("refs " in c.text for c in claims)
    assert resources_outside(browser, site) == []
    shot(browser, "02-term-everolimus")
    # follow the evidence to the claim page
    browser.find_element(By.CSS_SELECTOR, "ul.parents a[href='/claim/C0002']").click()
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Claim C0002")
    assert "rapalogs such as rapamycin (sirolimus), everolimus" in browser.find_element(By.CSS_SELECTOR, "blockquote").text
    shot(browser, "03-claim-C0002")


def test_quantitative_findings_in_mice_and_csv_download(site: str, browser: Any, downloads: Path) -> None:
    from selenium.webdriver.common.by import By

    import gerokg

    browser.get(site + "/")
    browser.find_element(By.LINK_TEXT, "Questions").click()
    browser.find_element(By.LINK_TEXT, "Quantitative findings").click()
    assert browser.current_url.endswith("/query/quantitative-findings")
    assert unlabelled_controls(browser) == []
    field = browser.find_element(By.ID, "p-organism")
    field.clear()
    field.send_keys("NCBITaxon:10090")
    browser.find_element(By.CSS_SELECTOR, "form.query-form button[type=submit]").click()
    wait_for(browser, "p.hint")  # the new page
    table = wait_for(browser, "table.results")
    assert "organism=NCBITaxon%3A10090" in browser.current_url
    headers = [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th")]
    rows = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")]
            for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
    expected = gerokg.query("quantitative-findings", organism="NCBITaxon:10090").rows
    assert len(rows) == len(expected) == 3  # '1 week after' is a timing, not a quantity
    col = {h: i for i, h in enumerate(headers)}
    assert {r[col["organismLabel"]] for r in rows} == {"Mus musculus"}
    assert sorted(r[col["quantityText"]] for r in rows) == sorted(r["quantityText"] for r in expected)
    assert "by more than 30%" in [r[col["quantityText"]] for r in rows]
    shot(browser, "04-quantitative-findings-mice")
    # the CSV download holds the same answer
    for old in downloads.glob("*"):
        old.unlink()
    browser.find_element(By.LINK_TEXT, "Download CSV").click()
    target = downloads / "quantitative-findings.csv"
    deadline = time.monotonic() + 30
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert target.exists(), f"no download in {downloads}: {list(downloads.iterdir())}"
    with open(target, newline="", encoding="utf-8") as fh:
        data = list(csv.DictReader(fh))
    assert len(data) == 3
    assert {d["organismLabel"] for d in data} == {"Mus musculus"}
    assert {d["references"] for d in data} == {"115", "118"}


def test_bad_parameter_is_explained_in_the_form(site: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(site + "/query/quantitative-findings?organism=NOPE:1")
    assert "organism" in browser.find_element(By.CSS_SELECTOR, "p.error").text
    assert browser.find_elements(By.CSS_SELECTOR, "table.results") == []


def test_pathway_picture_links_each_arrow_to_its_claim(site: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(site + "/")
    browser.find_element(By.LINK_TEXT, "Pathway").click()
    svg = browser.find_element(By.CSS_SELECTOR, "figure.pathway svg")
    assert svg.size["width"] > 300 and svg.size["height"] > 100
    links = browser.execute_script(
        "return Array.from(document.querySelectorAll('figure.pathway svg a'))"
        ".map(a => a.getAttribute('xlink:href') || a.getAttribute('href'))")
    claim_links = sorted({x for x in links if x and x.startswith("/claim/")})
    assert "/claim/C0183" in claim_links  # growth factors activate PI3K/mTOR signaling
    assert "/claim/C0197" in claim_links  # rapalogs suppress geroconversion
    text = svg.text
    for label in ("growth factor", "PI3K/mTOR signaling", "geroconversion", "rapalog"):
        assert label in text
    assert resources_outside(browser, site) == []
    shot(browser, "05-pathway")
    browser.get(site + "/claim/C0183")
    assert "Growth factors, cytokines, insulin, nutrients, and oncoproteins activate" in browser.page_source


def test_sparql_box(site: str, browser: Any) -> None:
    from selenium.webdriver.common.by import By

    browser.get(site + "/")
    browser.find_element(By.LINK_TEXT, "SPARQL").click()
    area = browser.find_element(By.ID, "sparql-text")
    area.clear()
    area.send_keys("PREFIX gks: <https://w3id.org/gerokg/schema/>\n"
                   "SELECT ?year WHERE { ?c gks:year ?year } ORDER BY ?year")
    browser.find_element(By.CSS_SELECTOR, "form.sparql-form button[type=submit]").click()
    wait_for(browser, "table.results")
    cells = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "table.results tbody td")]
    assert cells == ["1999", "2010"]
    shot(browser, "06-sparql-box")
    # an update is refused, and the page says so
    browser.get(site + "/sparql?format=html&query=" + "INSERT%20DATA%20%7B%3Ca%3E%20%3Cb%3E%20%3Cc%3E%7D")
    assert "read-only" in browser.find_element(By.CSS_SELECTOR, "p.error").text


AXE = Path(__file__).parent / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
A11Y_PAGES = ["/", "/search?q=everolimus", "/term/CHEBI:68478", "/term/GEROKG:0000054", "/claim/C0204", "/query",
              "/query/quantitative-findings?organism=NCBITaxon:10090", "/sparql", "/pathway", "/term/NOPE:1",
              "/docs/", "/docs/queries.html"]


@pytest.mark.skipif(not AXE.is_file(), reason="needs axe-core: npm ci --prefix tests/a11y (.ci/run does it)")
@pytest.mark.parametrize("path", A11Y_PAGES)
def test_pages_pass_the_axe_accessibility_rules(site: str, browser: Any, path: str) -> None:
    """axe-core's WCAG 2.1 A and AA rules (contrast, names, landmarks, headings, tables, ...)."""
    browser.get(site + path)
    browser.set_script_timeout(120)
    browser.execute_script(AXE.read_text(encoding="utf-8"))
    violations = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
          .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact,
                                                  nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))))
          .catch(e => done([{id: 'axe-error', impact: String(e), nodes: []}]));""")
    assert violations == [], path
