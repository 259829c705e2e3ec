"""Names and links that try to be markup, in Chromium: cadres, a division, an activity, a report
and an award whose text is a Markdown link, a Markdown image or an HTML link, and links whose
?cadre= and ?year= are. On every page no <a> or <img> (HTML or plotly's SVG) points where the
data or the link chose, nothing is fetched from there, and the text itself is on the page.

One server on its own database (the demo's records, edited, then stamped as the demo so that no
sign-in is needed between page loads); five page loads, 25–45 s.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Page

from analytics.common.text import WORD_JOINER
from analytics.store.db import connect
from analytics.store.provenance import stamp_demo
from tests.browser.conftest import serve_app, wait_for_app

EVIL = "evil.example"
LINK = f"[点击核验身份](https://{EVIL}/verify)"
IMAGE = f"![t](https://{EVIL}/pixel.png)"
TAG = f'<a href="https://{EVIL}/tag">点我</a>'
PHISHING = f"[身份已过期，请点此重新登录](https://{EVIL}/login)"

# Any element that links to or loads from the attacker's host, in HTML or SVG.
_POINTING_AT_EVIL = """
(host) => [...document.querySelectorAll('a, img, image, source, iframe, link')]
  .map(e => [e.tagName, e.getAttribute('href') || e.getAttribute('xlink:href')
                        || e.getAttribute('src') || e.getAttribute('srcset') || ''])
  .filter(([tag, url]) => url.includes(host))
"""


@pytest.fixture(scope="module")
def hostile_url(demo_db: Path, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "hostile.duckdb"
    shutil.copy(demo_db, db)
    con = duckdb.connect(str(db))
    for sql, value in [
        ("UPDATE cadres SET name = ? WHERE cadre_id = 'Q1011'", LINK),
        ("UPDATE cadres SET name = ? WHERE cadre_id = 'Q1012'", IMAGE),
        ("UPDATE cadres SET name = ? WHERE cadre_id = 'Q1013'", TAG),
        ("UPDATE cadres SET division = ? WHERE division = '督查处'", f"https://{EVIL}/division"),
        ("UPDATE activities SET title = ? WHERE activity_id = 'HD20250146'", LINK),
        ("UPDATE reports SET title = ? WHERE report_id = 'CG20250066'", IMAGE),
        ("UPDATE awards SET competition = ? WHERE award_id = 'HJ2025003'", TAG),
    ]:
        con.execute(sql, [value])
    con.close()
    con = connect(db)  # brings the derived tables up to date, as the app would
    stamp_demo(con)
    con.close()
    with serve_app(db, folder) as url:
        yield url


def shown_text(page: Page) -> str:
    return page.locator('[data-testid="stMain"]').inner_text().replace(WORD_JOINER, "")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (f"/profile?cadre=Q1011&year={PHISHING}", [LINK, PHISHING]),
        ("/profile?cadre=Q1012", [IMAGE]),
        ("/participation?group=第一学习小组", ["学习参与"]),  # Q1013's <a> on the grid's axis
        ("/awards", ["竞赛获奖"]),  # the <a> competition on the timeline's axis
        (f"/profile?cadre={PHISHING}", [PHISHING]),
    ],
    ids=["link-name-and-year-param", "image-name", "participation", "awards", "cadre-param"],
)
def test_markup_from_data_or_a_link_is_shown_not_obeyed(
    page: Page, hostile_url: str, external_requests: list[str], path: str, expected: list[str]
) -> None:
    page.goto(hostile_url + path)
    wait_for_app(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.evaluate(_POINTING_AT_EVIL, EVIL) == []
    shown = shown_text(page)
    assert all(text in shown for text in expected), expected
    assert external_requests == []
