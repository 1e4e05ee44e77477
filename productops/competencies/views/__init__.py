"""Competency pages, one module per area: library (models, ladders), cycles, gaps."""
