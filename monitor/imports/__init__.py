"""The Data page's imports, pure: what each table accepts (`spec`, derived from the database's own
catalogue), reading CSV/XLSX uploads (`reading`), one cell's text and value (`cells`), checking
every cell (`validate`) and every row (`rules`), what a bulk write would change (`upsert`), rows
held by column for 100,000-row files (`columns`), the templates people fill in (`templates`), and
the change log and in-place edits (`changelog`, `edits`). Nothing here touches DuckDB or
Streamlit: `queries.imports` gathers what validation needs from the database and writes through
`queries.write`.
"""
