"""Options appraisal: ratings × each council's weights → weighted totals, and how far a weight must
move before the preferred option changes (seed 003)."""
