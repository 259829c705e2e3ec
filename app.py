"""青年干部培养分析看板 — the router: page config, who is signed in, sidebar filters, navigation.

Nothing is drawn before the user is known: a session that has not signed in gets only the
sign-in page (st.navigation is always called, so Streamlit never falls back to listing pages/),
and the page list is built from the user's role (ui.navigation.pages_for, deny by default).
"""

import streamlit as st

from analytics.common import fmt
from analytics.common.labels import t
from analytics.common.text import md
from ui import auth
from ui.errors import guarded, navigation_built
from ui.navigation import PAGE_SPECS, pages_for
from ui.sidebar import sidebar_filters
from ui.state import DEEP_LINK_KEY, facts, start_warming
from ui.widgets import page_style

st.set_page_config(
    page_title=t("app.title"),
    page_icon="🏛️",  # an emoji favicon is inlined; a :material: one is fetched from the web
    layout="wide",
    initial_sidebar_state="expanded",
)
page_style()


def main() -> None:
    """Who is signed in, the sidebar's filters, then the page: one run of the app."""
    start_warming()  # the default figures of every page, computed in the background (ui/warm.py)
    known = facts()
    user = auth.session_user(known)
    if user is None:
        st.session_state["filters"] = None
        # The sign-in form answers at every page's address, so a shared link keeps its page and
        # filters through the sign-in (the page then opens if the role allows it).
        navigation_built()  # the sign-in page's, just below
        st.navigation(
            [st.Page(auth.sign_in_page, title=t("access.sign_in.title"), url_path="signin",
                     default=True)]
            + [st.Page(auth.sign_in_page, title=t("access.sign_in.title"), url_path=spec.url_path)
               for spec in PAGE_SPECS if not spec.default],
            position="hidden",
        ).run()  # fmt: skip
        st.stop()

    specs = pages_for(user.role)
    if not specs:
        st.session_state["filters"] = None
        auth.account_box(user, known)
        navigation_built()  # the no-access page's, just below
        st.navigation(
            [st.Page(auth.no_access_page, title=t("access.no_access.title"), url_path="no-access",
                     default=True)],
            position="hidden",
        ).run()  # fmt: skip
        st.stop()

    pages = [
        st.Page(spec.path, title=spec.title, icon=spec.icon, url_path=spec.url_path,
                default=spec.default)
        for spec in specs
    ]  # fmt: skip
    page = st.navigation(pages)
    navigation_built()
    auth.left_page(page.url_path)

    # A deep link that reached a page before app.py ever ran (see ui.state.filters) lands here,
    # after the sign-in: go on to the page it named, with the query it carried, if the role may.
    if DEEP_LINK_KEY in st.session_state:
        url_path, query = st.session_state.pop(DEEP_LINK_KEY)
        by_path = {spec.url_path: p for spec, p in zip(specs, pages, strict=True)}
        target = by_path.get(url_path)
        if target is not None and target is not page:
            st.switch_page(target, query_params=query)
        st.query_params.from_dict(query)

    with st.sidebar:
        st.markdown(f"**{md(t('app.title'))}**")
        if known["as_of"] is not None:
            badge = f" · {t('app.demo_badge')}" if known["is_demo"] else ""
            st.caption(t("app.as_of", date=fmt.date(known["as_of"])) + badge)
    auth.account_box(user, known)

    if known["as_of"] is None:
        st.session_state["filters"] = None
        ignored: list[tuple[str, str]] = []
    else:
        st.session_state["filters"], ignored = sidebar_filters(
            known, locked_group=user.visible_group
        )
    for name, value in ignored:  # straight from the URL: shown, never rendered
        st.warning(t("filters.invalid", name=md(name), value=md(value)), icon=":material/link_off:")

    page.run()


guarded(main)  # the one error boundary: no traceback reaches a user (ui/errors.py)
