# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Missed rectification deadlines: the shared due-time check (wangge_app/utils/due_times.py) and the
Notification that alerts them, which a manager edits in the desk.

The Notification is created on install (and by a patch on older sites), not shipped as a standard
one, so a manager's changes to its text, channel, recipients or condition survive updates. The job
runs the hazard's method `on_missed_due_time` once per missed deadline, after the hazard has written
whom to alert in `alert_to`; a new deadline (a second notice's) may be missed and alerted once more.
"""

import datetime

import frappe
from frappe import _
from frappe.utils import get_datetime, now_datetime

from wangge_app.safety.doctype.safety_hazard.safety_hazard import DUE_TARGETS, FINISHED_STATES
from wangge_app.utils.due_times import MISSED_METHOD, mark_missed_due_times

OVERDUE_NOTIFICATION = "Safety Hazard Missed Deadline"


def mark_overdue_hazards(now: datetime.datetime | None = None) -> list[tuple[str, str]]:
	"""scheduler_events hourly: mark and alert every newly missed deadline; return (hazard, target) pairs."""
	now = get_datetime(now) if now else now_datetime()
	return mark_missed_due_times(
		"Safety Hazard", DUE_TARGETS, now, exclude={"workflow_state": FINISHED_STATES}
	)


def make_overdue_notification() -> None:
	if frappe.db.exists("Notification", OVERDUE_NOTIFICATION):
		return
	# Written in the site's language, so that the manager edits a readable template.
	lang = frappe.db.get_single_value("System Settings", "language") or "en"
	subject = _("Safety hazard {0} missed its rectification deadline.", lang=lang).format("{{ doc.name }}")
	message = "<p>{}</p>\n<p>{}</p>".format(
		_("Safety hazard {0} ({1}, {2}) was to be rectified by {3}.", lang=lang).format(
			"{{ doc.name }}",
			"{{ doc.hazard_title | e }}",
			"{{ doc.place_name | e }}",
			"{{ frappe.format(doc.rectification_deadline, 'Date') }}",
		),
		_("Check the rectification, issue a second notice or refer the hazard to a department.", lang=lang),
	)
	frappe.get_doc(
		{
			"doctype": "Notification",
			"name": OVERDUE_NOTIFICATION,
			"enabled": 1,
			"channel": "System Notification",
			"document_type": "Safety Hazard",
			"event": "Method",
			"method": MISSED_METHOD,
			"subject": subject,
			"message": message,
			"recipients": [{"receiver_by_document_field": "alert_to"}],
		}
	).insert(ignore_permissions=True)
