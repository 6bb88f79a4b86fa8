"""Streamlit-side shared pieces: the page set-up every page calls first, and reusable blocks."""
