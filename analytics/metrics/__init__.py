"""The figures: one module per page's domain (overview, participation, rotation, reports,
awards, quotas, profile), the building blocks they share (activities, cadres, comparison) and
the year's targets (`targets`, with their one writer). Each metric is a function of
(connection, Filters) that returns a DataFrame. Where a figure is one of the semantic layer's
measures (a card's total: 参与率, 人均学时, 轮岗占比 …) it is taken from there
(`semantic.answer.figures`), and the counting rules come from `semantic.rules`.

May import: common, store, access, semantic.
"""
