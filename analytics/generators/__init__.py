"""Generated databases: the demo office whose 2025 is the work report's (`demo`, with its facts
in `demo_office` and its record builder in `demo_builder`) and the city-scale database for the
benchmark (`citygen`). They write through the store, never through the importer.

May import: common, store.
"""
