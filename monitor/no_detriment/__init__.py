"""No detriment: has the lending council got worse since the partnership began? XmR charts (SPC)
against the pre-partnership baseline, verdicts, the neighbour context, tables and charts."""
