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
    # participation
    # reports
    # awards
    # quotas
    PageSpec("profile", "pages/profile.py", "干部档案", ":material/badge:"),
    PageSpec("forum", "pages/forum.py", "季度座谈会", ":material/forum:"),
    # data
]
