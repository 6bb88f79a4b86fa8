"""Calendar: the programmes' key dates — notice deadlines, the timeline and the .ics file."""
