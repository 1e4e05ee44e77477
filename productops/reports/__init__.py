"""Layer 6: the org health report, drawn from every app below it."""
