"""Coaching pages, one module per area: plans, one_on_ones, communities."""
