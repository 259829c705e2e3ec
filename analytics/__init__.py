"""Everything that is not drawing: schema, models, demo data, metrics, charts, exports."""
