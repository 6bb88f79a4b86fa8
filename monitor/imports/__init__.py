"""The Data page's imports, pure: what each table accepts (`spec`, derived from the database's own
catalogue), reading CSV/XLSX uploads (`reading`), checking every cell and row (`validate`), the
templates people fill in (`templates`), and the change log and in-place edits (`changelog`,
`edits`). Nothing here touches DuckDB or Streamlit: `queries.imports` gathers what validation
needs from the database and writes through `queries.write`.
"""
