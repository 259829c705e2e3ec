"""The semantic layer of 自助分析: every measure and dimension declared once (`catalogue`: name,
SQL expression over its fact, grain, counting rule, the dimensions a measure may be cut by),
a question (measure, up to two dimensions, filters) as a value that round-trips through the URL
(`question`), the SQL built from those declarations only and run with values as parameters
(`answer`), and the 常用视图 a user saves (`views`, audited like every write).

The facts read the metrics' own macros, SQL files, scope functions and rules, so a figure the
pages show and the same measure here are one rule with one home.

May import: common, store, access, metrics.
"""
