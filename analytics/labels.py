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
    # ----- end reports -----
    # ----- awards (keys start with "awards.") -----
    "awards.title": "竞赛获奖",
    "awards.subtitle": "宣讲、述讲、征文等比赛获奖情况与积分",
    "awards.kpi.awards": "获奖项数",
    "awards.kpi.competitions": "参赛比赛",
    "awards.kpi.winners": "获奖人数",
    "awards.kpi.points": "获奖积分",
    "awards.none": "{period}没有获奖记录。",
    "awards.no_category": "不分组别",
    "awards.no_group": "未分组",
    "awards.section.level_prize": "按级别与奖项",
    "awards.section.category": "按组别",
    "awards.section.timeline": "比赛时间线",
    "awards.section.list": "获奖清单",
    "awards.section.winners": "获奖人",
    "awards.section.points": "积分",
    "awards.section.points_group": "学习小组积分",
    "awards.section.points_division": "处室积分",
    "awards.section.weights": "积分权重",
    "awards.chart.awards": "获奖项数",
    "awards.select_hint": "点击图表中的柱形或圆点可筛选下方获奖清单和获奖人（按住 Shift 可多选）。",
    "awards.selected": "已按图表选择筛选：{what}，显示 {shown} / {total} 项。",
    "awards.clear_selection": "清除图表选择",
    "awards.unweighted": "{year}年未设置以下积分权重，相关奖项记 0 分：{items}。",
    "awards.weights.caption": "积分 = 奖项分值 × 级别系数。修改后保存，本页积分随即更新。",
    "awards.weights.year": "权重年度",
    "awards.weights.prizes": "奖项分值",
    "awards.weights.levels": "级别系数",
    "awards.weights.save": "保存权重",
    "awards.weights.saved": "{year}年积分权重已保存。",
    "awards.weights.unknown": "未知权重项：{item}",
    "awards.weights.not_number": "“{item}”须填写数字",
    "awards.weights.negative": "“{item}”不能为负数",
    "awards.weights.invalid": "“{item}”（{year}年）无法保存",
    "awards.weights.nothing": "没有需要保存的权重。",
    "awards.weights.file": "积分权重",
    "awards.col.award_id": "获奖编号",
    "awards.col.date": "日期",
    "awards.col.competition": "比赛名称",
    "awards.col.organizer": "主办单位",
    "awards.col.level": "级别",
    "awards.col.category": "组别",
    "awards.col.prize": "奖项",
    "awards.col.work": "作品",
    "awards.col.winners": "获奖人",
    "awards.col.team_size": "团队人数",
    "awards.col.winner_count": "获奖人数",
    "awards.col.prize_points": "奖项分值",
    "awards.col.level_multiplier": "级别系数",
    "awards.col.points": "积分",
    "awards.col.award_points": "奖项积分",
    "awards.col.share": "个人积分",
    "awards.col.cadre_id": "工号",
    "awards.col.name": "姓名",
    "awards.col.study_group": "学习小组",
    "awards.col.division": "处室",
    "awards.col.awards": "获奖项数",
    "awards.col.won": "获奖情况",
    "awards.file.list": "获奖清单",
    "awards.file.winners": "获奖人",
    "awards.file.timeline": "比赛时间线",
    "awards.file.points_group": "学习小组积分",
    "awards.file.points_division": "处室积分",
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
