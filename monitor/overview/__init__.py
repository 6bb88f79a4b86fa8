"""Overview: one card per programme and the headline figures of every programme."""
