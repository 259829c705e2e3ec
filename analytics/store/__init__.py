"""The store: the DuckDB file and what is kept in it. `sql/schema.sql` (tables, CHECK
constraints, the expected-attendance rule and filter macros) and the other SQL files; `models`
(one pydantic model per record type, aliases the template headers); `vocabulary` (the other
headers and dropdown spellings a hand-kept sheet uses); `db` (connecting, building,
inserting, the derived tables and the data version); `query` (running SQL with values as
parameters, restricted to what the reader may see); `journal` (every change's before- and
after-images of the rows it touched, and writing them back for an undo); `snapshot` (several
app processes on one file: readers on a published read-only copy, one writer at a time).

May import: common.
"""
