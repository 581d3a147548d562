# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Missed rectification deadlines: the shared due-time check (wangge_app/utils/due_times.py) and the
Notification that alerts them, which a manager edits in the desk (`make_missed_due_time_notification`).
The job runs the hazard's method `on_missed_due_time` once per missed deadline, after the hazard has
written whom to alert in `alert_to`; a new deadline (a second notice's) may be missed and alerted once
more.
"""

import datetime

from frappe import _
from frappe.utils import get_datetime, now_datetime

from wangge_app.safety.doctype.safety_hazard.safety_hazard import DUE_TARGETS, FINISHED_STATES
from wangge_app.utils.due_times import make_missed_due_time_notification, mark_missed_due_times

OVERDUE_NOTIFICATION = "Safety Hazard Missed Deadline"


def mark_overdue_hazards(now: datetime.datetime | None = None) -> list[tuple[str, str]]:
	"""scheduler_events hourly: mark and alert every newly missed deadline; return (hazard, target) pairs."""
	now = get_datetime(now) if now else now_datetime()
	return mark_missed_due_times(
		"Safety Hazard", DUE_TARGETS, now, exclude={"workflow_state": FINISHED_STATES}
	)


def make_overdue_notification() -> None:
	make_missed_due_time_notification(OVERDUE_NOTIFICATION, "Safety Hazard", overdue_texts)


def overdue_texts(lang: str) -> tuple[str, list[str]]:
	subject = _("Safety hazard {0} missed its rectification deadline.", lang=lang).format("{{ doc.name }}")
	return subject, [
		_("Safety hazard {0} ({1}, {2}) was to be rectified by {3}.", lang=lang).format(
			"{{ doc.name }}",
			"{{ doc.hazard_title | e }}",
			"{{ doc.place_name | e }}",
			"{{ frappe.format(doc.rectification_deadline, 'Date') }}",
		),
		_("Check the rectification, issue a second notice or refer the hazard to a department.", lang=lang),
	]
