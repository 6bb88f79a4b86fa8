"""Risks: the programme's risk register — scores and bands, movement, reviews, the heat map, the
Risks page's tables and view."""
