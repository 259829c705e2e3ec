"""A name from the data or a value from a link reaches Markdown escaped: the reader sees the
characters, Streamlit renders no link and no image. (tests/browser/test_hostile_browser.py
looks at the rendered page itself.)"""

from __future__ import annotations

from analytics.common.text import md
from tests.app.conftest import OFFICE_ADMIN, open_page, query, visible

PROFILE = "pages/profile.py"
PHISHING = "[身份已过期，请点此重新登录](https://evil.example/login)"


def test_a_cadre_named_like_a_link_is_shown_as_text_in_the_record(office_db):
    name = "[点击核验身份](https://evil.example/verify)"
    query(office_db, "UPDATE cadres SET name = ? WHERE cadre_id = 'Q1011'", [name])
    at = open_page(PROFILE, user=OFFICE_ADMIN, cadre="Q1011")
    assert not at.exception
    [header] = [h.value for h in at.header]
    assert header == md(name) and visible(header) == name


def test_a_link_in_the_cadre_parameter_is_quoted_in_the_warning_not_rendered():
    at = open_page(PROFILE, cadre=PHISHING)
    assert not at.exception
    [warning] = [w.value for w in at.warning]
    assert md(PHISHING) in warning and "](" not in warning
    assert PHISHING in visible(warning)


def test_a_link_in_the_year_parameter_is_quoted_in_the_note_not_rendered():
    at = open_page(year=PHISHING)
    assert not at.exception
    notes = [w.value for w in at.warning]
    assert any(md(PHISHING) in n for n in notes) and not any("](" in n for n in notes)
