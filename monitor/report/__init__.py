"""The quarterly report: assembled from the data as plain figures for its audience (the
commissioner's report to DfE, or a programme's progress report to its board), delivery confidence,
frozen as a record at submission, compared with the previous quarter, added up into the annual
report by financial year, drawn on screen and exported to Word as a council paper (monitor.paper)."""
