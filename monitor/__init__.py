"""The rules, facts and views of every domain, pure (no Streamlit, no database).

Importing it sets pandas' storage of text columns for the whole process (the app, every command, the
tests): Python strings in a NumPy array rather than Arrow's. The app's frames are small and taken
apart step by step (a programme's rows selected, sorted, joined), where each step on an Arrow column
costs a call into Arrow: with Python strings the Overview's facts took a quarter less time and every
page's cold rerun less (docs/performance-log.md, 2026-12-06). Values and missing values are the same.
"""
import pandas as pd

pd.set_option("mode.string_storage", "python")
