"""Everything that is not drawing; never imports streamlit, ui/ or pages/.

The packages, lowest first; each may import only those its docstring's "May import" line names
(tests/unit/test_layout.py holds every import to it):

    common      vocabulary every layer shares: filters, labels, formats, links, config
    store       the DuckDB file: schema and SQL files, models, connection, queries, derived tables
    access      accounts, roles and capabilities, sign-in, the audit log
    metrics     the figures, one module per page's domain, and the year's targets
    visual      plotly chart builders: the one home of colours, fonts and number formats on charts
    curation    records once in: one way to write a change (journal, audit), delete, merge, undo,
                the complete backup and its restore
    dataio      data in and out: readers, the importer, editing a record, the template and
                workbook backup, audited exports
    briefing    the 季度座谈会: its figures, the narrative (wording in narrative.toml), Word/PDF
    generators  the demo office and the city-scale benchmark database
"""
