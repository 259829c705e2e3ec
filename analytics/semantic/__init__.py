"""The semantic layer: every measure and dimension declared once (`catalogue`: name, SQL
expression over its fact, grain, counting rule, the dimensions a measure may be cut by), with the
counting rules they state (`rules`) and which reports and awards a filter keeps (`scope`); a
question (measure, up to two dimensions, filters) as a value that round-trips through the URL
(`question`); the SQL built from those declarations only and run with values as parameters
(`answer`: 自助分析's answers, and `figures`, the totals the pages' cards show); and the 常用视图
a user saves (`views`, audited like every write).

It sits below the metrics: the pages' figures that are measures here (总览's cards, 学习参与's
summary, 指标达成's compliance, the briefing's 轮岗 and 挂职) are computed from these
declarations, so one rule has one home.

May import: common, store, access.
"""
