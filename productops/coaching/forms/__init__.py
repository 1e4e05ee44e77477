"""Every form of the coaching app, one module per area (the views' areas)."""
