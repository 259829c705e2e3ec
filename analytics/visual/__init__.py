"""Charts: plotly figure builders for the pages and the briefing's documents, the one home of
colours, fonts, status colours and number formats on charts.

May import: common, metrics.
"""
