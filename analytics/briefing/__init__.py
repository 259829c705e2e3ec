"""The 季度座谈会 briefing: its periods, figures with 同比/环比, who needs attention and the
next quarter's actions (`figures`, which also assembles the pack); the narrative in the work
report's style (`narrative`, its sentences in `narrative.toml`); the Word, PDF and Excel
documents (`documents`).

May import: common, store, access, semantic, metrics, visual, dataio.
"""
