"""The counting rules of the programme's figures, once: the words the pages state beside a
figure and the values the rules name (which assignments count as 轮岗 or 挂职). The SQL that
applies them is schema.sql's macros and the files in analytics/store/sql; the catalogue declares
the measures over them, and the metrics and the pages read the same names from here."""

from __future__ import annotations

EXPECTED_RULE = (
    "应参加人次：全体活动计入活动当日在岗的全部青年干部；小组活动计入该小组在岗成员；"
    "指定活动（列席、座谈交流、选派等）计入名单上的人员。挂职、三线历练期间的青年干部不计入"
    "全体活动和小组活动的应参加人次（当日仍出席的照常计入），另列为“挂职期间”人次；"
    "指定活动仍按名单计。参与率 = 出席人次 ÷ 应参加人次；"
    "请假与缺席分列，均不计为出席；应参加而无记录的计为“未登记”。"
)

ROTATION_TYPES: list[str] = ["跨处室轮岗", "专项工作"]  # 轮岗交流占比

SECONDMENT_TYPES: list[str] = ["挂职"]  # 挂职锻炼占比
FRONTLINE_TYPES: list[str] = ["三线历练"]  # 三线历练 (the briefing states how many)
# quota_by_cadre.sql's parameters: which assignment types make each of its stint columns.
STINT_TYPES: dict[str, list[str]] = {
    "rotation_types": ROTATION_TYPES,
    "secondment_types": SECONDMENT_TYPES,
    "frontline_types": FRONTLINE_TYPES,
}

SHARE_RULE = (
    "比例类指标的分母为年初至期末任一时间在岗的青年干部（含年中入职、调离人员）；分子为其中有任职经历"
    "与该期间重叠的人数（跨年任职计入其经历的每个年度，一人多段只计一次）。"
)

HOURS_RULE = (
    "人均专业培训学时 = 年初至期末完成的专业培训学时 ÷ 同期任一时间在岗的青年干部人数；"
    "学时按在岗天数折算：应完成学时 = 年度目标 × 期间内在岗天数 ÷ 全年天数。"
)

DENOMINATOR_RULE = "年度指标按“年初至期末”计算。" + SHARE_RULE + HOURS_RULE

COVERAGE_RULE = (
    "导师配备率的分母为期末在岗的青年干部，分子为其中期末有在岗业务导师（写作导师）结对的人数。"
    "政治能力提升报告按季度计：季度最后一天在岗的青年干部每人应交一份，季度结束后计为到期，"
    "结果为“提交”的计为已交。理论学习日、青年干部座谈会为全办活动，按举办次数计，不受学习小组、处室筛选影响。"
)

POINTS_RULE = (
    "积分 = 奖项分值 × 级别系数，权重取获奖日期所在年度的设置，该年度未设置时用默认权重"
    "（页面下方可查看和调整，默认值标“默认”）。"
    "团队获奖的积分由全部获奖成员平均分享：每人积分 = 该奖项积分 ÷ 获奖人数。"
    "学习小组、处室的积分为其成员所得份额之和；未分学习小组的获奖人计入“未分组”。"
    "某奖项或级别未设置权重时，该奖项记 0 分，并在页面提示。"
)

AWARDS_SCOPE_RULE = (
    "获奖按获奖日期计入期间。按学习小组或处室筛选时，计入至少有一名获奖人属于筛选范围的奖项；"
    "获奖清单列出团队全部成员，获奖人表和积分表只计筛选范围内的人员（份额仍按团队全部人数平分）。"
)

AUTHOR_RULE = (
    "按作者归属统计：一篇成果的每位作者（含执笔人）都计入其所在学习小组/处室，"
    "同一小组（处室）有多名作者的成果只计 1 篇；有作者分属不同小组的成果在每个相关小组各计 1 篇，"
    "因此各小组合计可大于成果总数。人均 = 成果篇数 ÷ 期间内在岗青年干部人数。"
)
