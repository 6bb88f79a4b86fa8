"""Milestones: the action plan — rules (overdue, slippage, RAG), what each reporting date said,
the Action plan page's tables, charts and view."""
