"""The figures: one module per page's domain (overview, participation, rotation, reports,
awards, quotas, profile), the building blocks they share (activities, cadres, outputs in
scope) and the year's targets (`targets`, with their one writer). Each metric is a function of
(connection, Filters) that returns a DataFrame; its counting rule is stated beside it.

May import: common, store, access.
"""
