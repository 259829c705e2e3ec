"""The one list of pages: url path, file and title. app.py and the browser tests both read it."""

from dataclasses import dataclass


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
