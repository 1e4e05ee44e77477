"""Every write in the discovery app: `check_*` validates and authorizes, `do_*` writes.

Sections: touchpoints; opportunity solution trees. Add to your section only.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------------------
# Touchpoints
# ---------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------
# Opportunity solution trees
# ---------------------------------------------------------------------------------------
