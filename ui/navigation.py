"""The one list of pages: url path, file and title. app.py and the browser tests both read it.

Who may open each page is PAGE_ROLES below, keyed by url path. Deny by default: a page missing
from PAGE_ROLES is shown to nobody (tests/app/test_access_pages.py fails until it is listed),
and an account with no role, or an unknown one, gets no page at all.
"""

from dataclasses import dataclass

from analytics.access.auth import Role, parse_role


@dataclass(frozen=True)
class PageSpec:
    url_path: str
    path: str
    title: str
    icon: str
    default: bool = False


PAGE_SPECS: list[PageSpec] = [
    PageSpec("overview", "pages/overview.py", "总览", ":material/dashboard:", default=True),
    PageSpec("participation", "pages/participation.py", "学习参与", ":material/groups:"),
    PageSpec("reports", "pages/reports.py", "调研成果", ":material/description:"),
    PageSpec("awards", "pages/awards.py", "竞赛获奖", ":material/emoji_events:"),
    PageSpec("quotas", "pages/quotas.py", "指标达成", ":material/flag:"),
    PageSpec("profile", "pages/profile.py", "干部档案", ":material/badge:"),
    PageSpec("forum", "pages/forum.py", "季度座谈会", ":material/forum:"),
    PageSpec("data", "pages/data.py", "数据管理", ":material/database:"),
]

# ----- 自助分析 (issue 21): ad hoc questions, for every role (a 小组导师 restricted as everywhere)
PAGE_SPECS.append(PageSpec("explore", "pages/explore.py", "自助分析", ":material/query_stats:"))

# ----- access control (issue 10): url path → the roles that may open the page -----
PAGE_SPECS.append(PageSpec("audit", "pages/audit.py", "审计日志", ":material/policy:"))
_EVERYONE = frozenset(Role)
_LEADERSHIP = frozenset({Role.LEADER, Role.ADMIN})
_ADMIN = frozenset({Role.ADMIN})
PAGE_ROLES: dict[str, frozenset[Role]] = {
    "overview": _EVERYONE,
    "participation": _EVERYONE,
    "reports": _EVERYONE,
    "awards": _EVERYONE,
    "quotas": _EVERYONE,  # its targets editor is 管理员-only (Capability.EDIT_TARGETS)
    "profile": _EVERYONE,  # a 小组导师 finds only their own group's cadres
    "forum": _LEADERSHIP,  # the office-wide quarterly briefing
    "data": _ADMIN,
    "audit": _ADMIN,
    "explore": _EVERYONE,  # 领导, 管理员 and 小组导师; saved views are shared only by a 管理员
}


def pages_for(role: Role | str | None) -> list[PageSpec]:
    """The pages `role` may open, in PAGE_SPECS order; none for no role or an unknown one."""
    known = parse_role(role)
    if known is None:
        return []
    return [spec for spec in PAGE_SPECS if known in PAGE_ROLES.get(spec.url_path, frozenset())]


# ----- end access control -----
