"""Every ninja Schema of the competencies API, one module per area."""
