"""The Streamlit side: cached connection and metrics, sidebar filters, shared widgets."""
