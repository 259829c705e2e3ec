"""The vocabulary every layer shares: the sidebar's `Filters` value, every user-facing string
(`labels`), number and date formats (`fmt`), links between pages, chart-selection helpers and
the project's paths and settings (`config`). Pure Python and pandas, no database.

May import: nothing of analytics.
"""
