"""Every write in the competencies app: `check_*` validates and authorizes, `do_*` writes.

Sections: the model library (import, new versions, ladders) and assessments (cycles,
requests, ratings, reopening, ratings import). Add to your section only.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------------------
# Model library and ladders
# ---------------------------------------------------------------------------------------

# (end of model library section)

# ---------------------------------------------------------------------------------------
# Assessments
# ---------------------------------------------------------------------------------------

# (end of assessments section)
