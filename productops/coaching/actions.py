"""Every write in the coaching app: `check_*` validates and authorizes, `do_*` writes.

Sections: plans and practices, 1:1s, communities. Add to your section only.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------------------
# Plans, goals, check-ins and the practice library
# ---------------------------------------------------------------------------------------

# (end of plans section)

# ---------------------------------------------------------------------------------------
# 1:1 series, meetings, agenda items, notes and actions
# ---------------------------------------------------------------------------------------

# (end of 1:1s section)

# ---------------------------------------------------------------------------------------
# Communities of practice and book clubs
# ---------------------------------------------------------------------------------------

# (end of communities section)
