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
    # profile
    # forum
    PageSpec("data", "pages/data.py", "数据管理", ":material/database:"),
]
