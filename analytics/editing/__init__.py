"""Editing one stored record in a form (`form`): found by its table and key, shown field by
field, checked by exactly what checks an uploaded row (the record's model, the references, the
plausibility rules, all of analytics.dataio) and saved through analytics.curation.change (the
role checked, journal and audit row in the same transaction). Its own package because it sits
above both: the importer's command line undoes through curation, so curation cannot import
the importer's checks.

May import: common, store, access, curation, dataio.
"""
