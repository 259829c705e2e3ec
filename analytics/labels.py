"""Every user-facing string, in one table, so pages read as layout and wording lives here.

`t("key")` returns the Simplified Chinese text; `t("key", **values)` fills {placeholders}.
Sections follow the pages; each page's keys start with its url path.
"""

from __future__ import annotations

LABELS: dict[str, str] = {
    # ----- app shell -----
    "app.title": "青年干部培养分析看板",
    "app.subtitle": "市政府办公室 · 理论学习、党性教育、实践锻炼“三课联动”",
    "app.as_of": "数据截至 {date}",
    "app.demo_badge": "演示数据",
    "app.no_data": "数据库中还没有记录。请到“数据管理”页导入数据。",
    "filters.header": "筛选",
    "filters.year": "年度",
    "filters.quarter": "季度",
    "filters.quarter_all": "全年",
    "filters.quarter_n": "第{n}季度",
    "filters.group": "学习小组",
    "filters.division": "处室",
    "filters.all": "全部",
    "filters.period": "统计期间：{start} 至 {end}",
    "filters.invalid": "链接中的参数 {name}={value} 无效，已忽略。",
    "filters.share_hint": "复制浏览器地址栏即可分享当前视图。",
    "common.download_csv": "下载 CSV",
    "common.download_xlsx": "下载 Excel",
    "common.empty": "所选期间暂无数据。",
    "common.rule": "口径说明",
    "common.yoy": "同比",
    "common.yoy_help": "箭头为同比变化；去年同期：{previous}",
    "common.qoq": "环比",
    "common.target": "目标",
    "common.expected": "进度目标",
    "common.status.green": "达标",
    "common.status.amber": "接近",
    "common.status.red": "落后",
    "common.status.none": "—",
    "common.future_period": "所选期间晚于数据截至日期，尚无数据。",
    # ----- overview -----
    "overview.title": "总览",
    "overview.kpi.cadres": "在岗青年干部",
    "overview.kpi.participation_rate": "活动参与率",
    "overview.kpi.training_hours": "人均专业培训学时",
    "overview.kpi.reports": "调研成果",
    "overview.kpi.awards": "竞赛获奖",
    "overview.kpi.rotation_share": "轮岗交流占比",
    "overview.kpi.secondment_share": "挂职锻炼占比",
    "overview.kpi.activities:理论学习": "理论学习活动",
    "overview.kpi.activities:党性教育": "党性教育活动",
    "overview.kpi.activities:实践锻炼": "实践锻炼活动",
    "overview.kpi.unit.count": "",
    "overview.kpi.vs_target": "目标 {target} · 进度 {expected}",
    "overview.section.kpis": "关键指标（箭头为同比）",
    "overview.section.trend": "月度趋势",
    "overview.section.attention": "需要关注",
    "overview.trend.activities": "活动场次",
    "overview.trend.activities_last_year": "去年同期活动场次",
    "overview.trend.rate": "参与率",
    "overview.trend.rate_last_year": "去年同期参与率",
    "overview.attention.none": "各项指标均达到进度目标。",
    "overview.attention.behind": "{name}：{actual}，低于进度目标 {expected}（差 {gap}）。",
    "overview.attention.low_group": "{group}参与率 {rate}，低于 {threshold}。",
    "overview.attention.low_cadres": "{n} 名青年干部参与率低于 {threshold}。",
    "overview.attention.no_mentor": "{group}{month}无轮值导师。",
    "overview.attention.study_days": "青年政治理论学习日：已开展 {held} 次，按每月 {per_month} 次应开展 {due} 次。",
    "overview.rule.quota": "年度指标（学时、轮岗、挂职）按年初至期末计算。",
    # ----- participation (keys start with "participation.") -----
    # ----- end participation -----
    # ----- reports (keys start with "reports.") -----
    "reports.title": "调研成果",
    "reports.kpi.total": "成果总数",
    "reports.kpi.research_reports": "调研报告",
    "reports.kpi.hometown_articles": "回乡见闻文章",
    "reports.kpi.excellent": "评价优秀",
    "reports.kpi.with_outcome": "取得成效",
    "reports.kpi.authors": "参与撰写人数",
    "reports.section.trend": "产出趋势",
    "reports.section.per_capita": "人均产出（按作者归属）",
    "reports.section.quality": "质量与成效",
    "reports.section.people": "作者",
    "reports.section.list": "成果清单",
    "reports.chart.by_quarter": "按季度产出（按类型堆叠）",
    "reports.chart.last_year": "去年同期合计",
    "reports.chart.by_source": "按来源",
    "reports.chart.by_theme": "按主题",
    "reports.chart.by_group": "学习小组人均成果",
    "reports.chart.by_division": "处室人均成果",
    "reports.chart.funnel": "从提交到成效",
    "reports.chart.this_year": "本期",
    "reports.chart.hover_unit": "{unit}：{reports} 篇 / {cadres} 人",
    "reports.yoy_table": "季度同比",
    "reports.outlets": "刊发载体",
    "reports.outlets.none": "所选期间没有登记刊发载体的成果。",
    "reports.leaders": "主要作者（前 {n} 名）",
    "reports.leaders.none": "所选期间没有作者。",
    "reports.no_output": "期间在岗但无成果的青年干部（{n} 人）",
    "reports.no_output.none": "所选范围内在岗青年干部期间内均有成果。",
    "reports.empty": "所选期间和范围内没有调研成果。",
    "reports.search": "搜索题目或作者",
    "reports.search.placeholder": "例如：回乡见闻、张",
    "reports.filter.type": "类型",
    "reports.filter.source": "来源",
    "reports.filter.outcome": "成效",
    "reports.filter.all": "全部",
    "reports.selection": "已按图表选择筛选：{what}（在图表上双击可取消选择）",
    "reports.count": "显示 {shown} / {total} 篇",
    "reports.list.none": "没有符合条件的成果。",
    "reports.click_hint": "点击图表中的柱形可筛选下方成果清单。",
    "reports.theme.none": "未填写",
    "reports.unit.none": "未分组",
    "reports.outcome.none": "无成效",
    "reports.col.report_id": "成果编号",
    "reports.col.title": "题目",
    "reports.col.type": "类型",
    "reports.col.source": "来源",
    "reports.col.theme": "主题",
    "reports.col.submit_date": "提交日期",
    "reports.col.quarter_label": "季度",
    "reports.col.authors": "作者",
    "reports.col.grade": "评价",
    "reports.col.outcome": "成效",
    "reports.col.outlet": "刊发载体",
    "reports.col.author_groups": "作者所在小组",
    "reports.col.author_divisions": "作者所在处室",
    "reports.col.cadre_id": "工号",
    "reports.col.name": "姓名",
    "reports.col.study_group": "学习小组",
    "reports.col.division": "处室",
    "reports.col.rank": "职级",
    "reports.col.join_date": "入职日期",
    "reports.col.leave_date": "调离日期",
    "reports.col.last_report_date": "最近一次成果",
    "reports.col.reports": "成果篇数",
    "reports.col.as_lead": "执笔",
    "reports.col.excellent": "优秀",
    "reports.col.with_outcome": "取得成效",
    "reports.col.titles": "成果题目",
    "reports.file.list": "调研成果清单",
    "reports.file.outlets": "刊发载体",
    "reports.file.leaders": "主要作者",
    "reports.file.no_output": "期间无成果人员",
    # ----- end reports -----
    # ----- awards (keys start with "awards.") -----
    # ----- end awards -----
    # ----- quotas (keys start with "quotas.") -----
    # ----- end quotas -----
    # ----- data (keys start with "data.") -----
    # ----- end data -----
    # ----- profile (keys start with "profile.") -----
    # ----- end profile -----
    # ----- forum (keys start with "forum.") -----
    # ----- end forum -----
    # ----- access (keys start with "access.") -----
    # ----- end access -----
}


def t(key: str, **values: object) -> str:
    """The label for `key`, with {placeholders} filled; a missing key shows itself, loudly."""
    text = LABELS.get(key)
    if text is None:
        return f"⟨{key}⟩"
    return text.format(**values) if values else text
