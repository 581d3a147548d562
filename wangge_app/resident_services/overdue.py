# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The scheduled check of the requests' time limits (the limits of each Request Grade).

The due times are stored on the request (Resident Request.set_due_times); the check is the shared
one indexed query per limit (wangge_app/utils/due_times.py), as for dispute cases. A request that
misses a limit is marked overdue, gets a row in its *Missed Time Limits* table, and the users it is
assigned to get one alert: the Notification *Resident Request Missed Time Limit*
(wangge_app/resident_services/alerts.py), which a manager edits in the desk.
"""

import datetime

from frappe.utils import get_datetime, now_datetime

from wangge_app.resident_services.doctype.resident_request.resident_request import (
	DUE_TARGETS,
	RESIDENT_REQUEST,
)
from wangge_app.utils.due_times import mark_missed_due_times
from wangge_app.workflows import REQUEST_CLOSED


def mark_overdue_requests(now: datetime.datetime | None = None) -> list[tuple[str, str]]:
	"""Record and alert every newly missed limit; return the (request, limit) pairs found."""
	now = get_datetime(now) if now else now_datetime()
	return mark_missed_due_times(
		RESIDENT_REQUEST, DUE_TARGETS, now, exclude={"workflow_state": [REQUEST_CLOSED]}
	)
