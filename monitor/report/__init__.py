"""The quarterly report: assembled from the data as plain figures, delivery confidence, frozen as a
record at submission, compared with the previous quarter, added up into the annual report, drawn on
screen and exported to Word."""
