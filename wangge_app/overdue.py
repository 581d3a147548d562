# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The scheduled check of every case's due times: a dispute case's time targets (Mediation Settings),
a resident's request's time limits (its Request Grade), a safety hazard's rectification deadline.

The due times are stored on the case (GridCase.set_due_times, wangge_app/cases.py); the check is one
indexed query per target (wangge_app/utils/due_times.py), over the cases not in a closed state. A case
that misses a target is marked overdue and records the miss, and the users responsible for it get one
alert: the DocType's Notification (wangge_app/alerts.py), which a manager edits in the desk. A target
is alerted once.
"""

import datetime

from frappe.model.base_document import get_controller
from frappe.utils import get_datetime, now_datetime

from wangge_app.cases import CASES_WITH_DUE_TIMES
from wangge_app.utils.due_times import mark_missed_due_times


def mark_missed_due_times_of_all_cases(now: datetime.datetime | None = None) -> list[tuple[str, str]]:
	"""scheduler_events, every 10 minutes (a dispute case's targets are counted in hours): record and
	alert every newly missed due time; return the (case, target) pairs found."""
	now = get_datetime(now) if now else now_datetime()
	return [pair for doctype in CASES_WITH_DUE_TIMES for pair in mark_missed_due_times_of(doctype, now)]


def mark_missed_due_times_of(doctype: str, now: datetime.datetime | None = None) -> list[tuple[str, str]]:
	"""Record and alert every newly missed due time of one case DocType; return the (case, target) pairs."""
	now = get_datetime(now) if now else now_datetime()
	case = get_controller(doctype)
	return mark_missed_due_times(
		doctype, case.due_targets, now, exclude={"workflow_state": case.closed_states}
	)
