"""Every write in the backlog app: `check_*` validates and authorizes, `do_*` writes.

Sections: tracker imports; classification and corrections. Add to your section only.
"""

from __future__ import annotations

from collections.abc import Iterable

# ---------------------------------------------------------------------------------------
# Tracker imports
# ---------------------------------------------------------------------------------------

# (end of imports section)

# ---------------------------------------------------------------------------------------
# Classification, corrections, labels and the learned model
# ---------------------------------------------------------------------------------------

def do_reclassify(item_ids: Iterable[int] | None = None) -> int:
    """Classify items (all when None) by rules, the learned model and corrections.

    Placeholder until the classification module lands: the importer calls it after
    every write, so items get their origin, kind and framing with reasons.
    """
    return 0


# (end of classification section)
