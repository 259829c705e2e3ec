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
    # profile
    # forum
    # data
]
