"""`refinery report` writes one self-contained HTML file; headless Chromium loads it with no console errors and no
network requests, and its charts render (the screenshot is not blank)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from chromium import chromium_binary, load, non_blank_fraction
from conftest import SESSION_DIR, refinery

needs_chromium = pytest.mark.skipif(chromium_binary() is None,
                                    reason="Chromium not installed (python/ecosystem/install-chromium.sh)")
FACTS = """({ready: document.body.dataset.ready, charts: document.querySelectorAll('svg.chart').length,
  drawn: Array.from(document.querySelectorAll('svg.chart')).filter(s => s.getBoundingClientRect().width > 300
         && s.querySelectorAll('rect, path').length > 0).length,
  sections: Array.from(document.querySelectorAll('section')).map(s => [s.id, !s.classList.contains('unavailable')])})"""


def write_report(lakehouse: Path, name: str) -> tuple[Path, str]:
    out = SESSION_DIR / "reports" / f"{name}.html"
    result = refinery("report", "--lakehouse", str(lakehouse), "--out", str(out))
    assert out.is_file(), result.stdout + result.stderr
    return out, out.read_text(encoding="utf-8")


def assert_self_contained(html: str):
    assert not re.search(r"<(script|img|iframe)[^>]+src=", html)
    assert not re.search(r"<link[^>]+stylesheet", html)
    urls = set(re.findall(r"https?://[^\"' )<>]+", html)) - {"http://www.w3.org/2000/svg"}
    assert urls == set(), urls


def assert_renders(page: Path, min_charts: int):
    loaded = load(page, FACTS)
    assert loaded.console_errors == []
    assert loaded.exceptions == []
    assert loaded.external_requests == []
    assert loaded.facts["ready"] == "true"
    assert loaded.facts["charts"] >= min_charts
    assert loaded.facts["drawn"] == loaded.facts["charts"]
    assert non_blank_fraction(loaded.screenshot) > 0.02
    (page.parent / (page.stem + ".png")).write_bytes(loaded.screenshot)
    return loaded


@needs_chromium
def test_report_of_the_pipeline_run(lakehouse):
    page, html = write_report(lakehouse, "pipeline")
    assert_self_contained(html)
    assert "Funnel: rows kept per stage" in html and "ingest" in html
    loaded = assert_renders(page, min_charts=1)
    assert ["funnel", True] in loaded.facts["sections"]


@needs_chromium
def test_report_renders_every_section_with_data(filled_lakehouse):
    """Tables the branch's stages do not produce yet are synthetic stand-ins (tests/synthetic_tables.py)."""
    page, html = write_report(filled_lakehouse, "filled")
    assert_self_contained(html)
    loaded = assert_renders(page, min_charts=20)
    assert all(available for _, available in loaded.facts["sections"]), loaded.facts["sections"]
    assert ["quality", True] in loaded.facts["sections"]
    for text in ("fleiss_kappa", "alpha_nominal", "Cohen", "minhash", "semantic", "loss", "accuracy", "head",
                 "Languages", "gopher_word_count", "PII redacted"):
        assert text in html


def test_unknown_run_is_a_user_error(lakehouse):
    result = refinery("report", "--lakehouse", str(lakehouse), "--run", "no-such-run", "--out",
                      str(SESSION_DIR / "never.html"), check=False)
    assert result.returncode == 2
    assert "Cannot report run 'no-such-run': pipeline_runs has no rows for it (latest run: " in result.stderr
