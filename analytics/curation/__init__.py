"""Looking after the records once they are in: every change done one way (`change`: the role
checked by the function that writes, the demo refused, the writes with their journal rows and
audit row in one transaction), deleting a record with what depends on it and merging two 工号
of one person (`remove`), undoing an import or any other change from the journal's
before-images (`undo`), and the complete backup of the database file with its restore
(`backup`). Editing one record goes through the import's own checks, so it lives with them
(analytics.dataio.edit) and writes through `change`.

May import: common, store, access.
"""
