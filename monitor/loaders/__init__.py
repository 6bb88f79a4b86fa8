"""Loaders: read input files as published, check every row, return frames ready to insert.

Pure pandas (no Streamlit, no DuckDB). Each loader collects every problem in its file and raises
one `LoadError` (see `problems`) instead of loading part of it. The official files are loaded
through `official`; `problems` and `reading` are shared with the Data page's import.
"""
