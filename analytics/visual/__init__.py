"""Charts: plotly figure builders for the pages and the briefing's documents. `style` is the one
home of fonts, the category palette, the good/bad colours, the sequential scale and the chart
number formats; `charts` the shared bars and the 总览 trend; `participation_charts`,
`output_charts` (调研成果, 竞赛获奖) and `quota_charts` (指标达成, 干部档案) the pages' own;
`explore` 自助分析's; `markup` keeps text from the data literal.

May import: common, metrics.
"""
