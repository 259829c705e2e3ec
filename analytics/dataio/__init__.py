"""Data in and out: reading uploaded workbooks and CSV (`readers`, .xls included); an
import read, checked and compared with the database (`plan`, `checks`, `keys` for duplicate
keys and references, `plausible` for rules across fields), committed in one transaction
(`commit`), through `importer` (the entry point) or its command line (`cli`); its problems
grouped and marked in the uploaded sheets (`feedback`); the import template and the backup
workbook (`templates`); the audited exports every download goes through (`export`); one stored
record edited in a form, through the same checks as an uploaded row (`edit`, written through
analytics.curation.change). Import rules (which sheet is which table, what a cell may hold)
live here and in the store's models.

May import: common, store, access, curation.
"""
