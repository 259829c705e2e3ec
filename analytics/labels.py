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
    "access.sign_in.title": "登录",
    "access.sign_in.submit": "登录",
    "access.username": "用户名",
    "access.password": "密码",
    "access.missing": "请输入用户名和密码。",
    "access.bad_credentials": "用户名或密码错误。",
    "access.locked": "连续多次登录失败，账号已锁定，请于 {until} 后再试或联系管理员。",
    "access.disabled": "该账号已停用，请联系管理员。",
    "access.audit_failed": "无法写入审计日志，本次操作未执行。请联系管理员。",
    "access.header_refused": "统一认证账号“{name}”未开通或不可用，请联系管理员，或使用用户名和密码登录。",
    "access.idle_signed_out": "您已 {minutes} 分钟未操作，已自动退出登录，请重新登录。",
    "access.signed_in_as": "当前用户：{name}（{role}）",
    "access.sign_out": "退出登录",
    "access.no_role": "未分配角色",
    "access.no_access.title": "无权访问",
    "access.no_access.body": "您的账号尚未分配有效角色，无法查看任何页面。请联系管理员。",
    "access.not_permitted": "您的角色无权使用此功能。",
    "access.group_locked": "小组导师仅可查看本小组的数据。",
    "access.demo.title": "演示模式",
    "access.demo.hint": "当前为演示数据库，无需登录。可切换角色，查看各角色能看到的页面和数据。",
    "access.demo.role": "以此角色查看",
    "access.demo.group": "所负责的学习小组",
    "access.demo.user": "演示用户·{role}",
    "access.export.sheet": "导出信息",
    "access.export.who": "导出人",
    "access.export.role": "角色",
    "access.export.when": "导出时间",
    "access.export.what": "数据",
    "access.export.filters": "筛选条件",
    "access.export.rows": "行数",
    "access.export.omitted": "按权限未导出的个人信息字段",
    "access.export.none_omitted": "无",
    "access.export.field": "项目",
    "access.export.value": "内容",
    "access.export.note": "个人信息字段（{columns}）按权限未包含在导出文件中。",
    "access.audit.title": "审计日志",
    "access.audit.caption": "登录、查看干部档案、导出、导入和修改指标的记录。日志只增不改。",
    "access.audit.from": "起始日期",
    "access.audit.to": "截止日期",
    "access.audit.actor": "操作人",
    "access.audit.action": "操作",
    "access.audit.target": "对象包含",
    "access.audit.empty": "没有符合条件的记录。",
    "access.audit.count": "共 {n} 条记录（最多显示 {limit} 条）。",
    "access.audit.col.id": "序号",
    "access.audit.col.logged_at": "时间",
    "access.audit.col.actor": "操作人",
    "access.audit.col.role": "角色",
    "access.audit.col.action": "操作",
    "access.audit.col.target": "对象",
    "access.audit.col.filters": "筛选条件",
    "access.audit.col.row_count": "行数",
    "access.audit.col.detail": "说明",
    "access.action.sign_in": "登录",
    "access.action.sign_in_failed": "登录失败",
    "access.action.sign_out": "退出登录",
    "access.action.view_profile": "查看干部档案",
    "access.action.export": "导出/下载",
    "access.action.import": "导入数据",
    "access.action.targets_change": "修改指标",
    "access.action.account_create": "新建账号",
    "access.action.account_disable": "停用账号",
    "access.action.account_reset": "重设密码",
    # ----- end access -----
}


def t(key: str, **values: object) -> str:
    """The label for `key`, with {placeholders} filled; a missing key shows itself, loudly."""
    text = LABELS.get(key)
    if text is None:
        return f"⟨{key}⟩"
    return text.format(**values) if values else text
