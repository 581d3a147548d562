# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The scheduled check of the mediation time targets (Mediation Settings).

The due times are stored on the case (Dispute Case.set_due_times); the check is one indexed query
per target (wangge_app/utils/due_times.py). A case that misses a target is marked overdue, gets a
row in its *Missed Time Targets* table, and the users responsible for it get one alert: the
Notification *Dispute Case Missed Time Target* (wangge_app/mediation/alerts.py), which a manager
edits in the desk. A target is alerted once.
"""

import datetime

from frappe.utils import get_datetime, now_datetime

from wangge_app.mediation.doctype.dispute_case.dispute_case import CLOSED, DUE_TARGETS
from wangge_app.utils.due_times import mark_missed_due_times


def mark_overdue_cases(now: datetime.datetime | None = None) -> list[tuple[str, str]]:
	"""Record and alert every newly missed target; return the (case, target) pairs found."""
	now = get_datetime(now) if now else now_datetime()
	return mark_missed_due_times("Dispute Case", DUE_TARGETS, now, exclude={"workflow_state": [CLOSED]})
