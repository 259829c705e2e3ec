"""青年干部培养分析看板 — the router: page config, sidebar filters, navigation."""

import html

import streamlit as st

from analytics import fmt
from analytics.labels import t
from ui.navigation import PAGE_SPECS
from ui.sidebar import sidebar_filters
from ui.state import DEEP_LINK_KEY, facts

st.set_page_config(
    page_title=t("app.title"),
    page_icon="🏛️",  # an emoji favicon is inlined; a :material: one is fetched from the web
    layout="wide",
    initial_sidebar_state="expanded",
)

pages = [
    st.Page(spec.path, title=spec.title, icon=spec.icon, url_path=spec.url_path,
            default=spec.default)
    for spec in PAGE_SPECS
]  # fmt: skip
page = st.navigation(pages)

# A deep link that reached a page before app.py ever ran (see ui.state.filters) lands here:
# go on to the page it named, with the query it carried.
if DEEP_LINK_KEY in st.session_state:
    url_path, query = st.session_state.pop(DEEP_LINK_KEY)
    by_path = {spec.url_path: p for spec, p in zip(PAGE_SPECS, pages, strict=True)}
    target = by_path.get(url_path)
    if target is not None and target is not page:
        st.switch_page(target, query_params=query)
    st.query_params.from_dict(query)

known = facts()
with st.sidebar:
    st.markdown(f"**{html.escape(t('app.title'))}**")
    if known["as_of"] is not None:
        caption = t("app.as_of", date=fmt.date(known["as_of"]))
        if known["is_demo"]:
            caption += f" · {t('app.demo_badge')}"
        st.caption(caption)

if known["as_of"] is None:
    st.session_state["filters"] = None
    notes: list[str] = []
else:
    st.session_state["filters"], notes = sidebar_filters(known)
for note in notes:
    st.warning(note, icon=":material/link_off:")

page.run()
