# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The alerts of missed due times: one Frappe Notification per case DocType with due times, on the
method `on_missed_due_time`, which the overdue job (wangge_app/overdue.py) runs once per miss after
the case has recorded it and written whom to alert in `alert_to` (wangge_app/cases.py).

The Notifications are made once (on install, or by a patch on older sites) and are then the
manager's to edit in the desk: they are not shipped as standard Notifications, which Frappe refuses
to let anyone edit and reloads from the app, whereas updates leave these ones' text, channel,
recipients, condition or disabling alone. Sites have them by these names, and the texts are written
in the site's language from the English ones below (wangge_app/translations/zh.csv is keyed by them).
"""

from collections.abc import Callable
from dataclasses import dataclass

import frappe
from frappe import _

from wangge_app.utils.due_times import MISSED_METHOD

# Jinja of the case and of the miss it logged last in `overdue_log`.
CASE_NAME = "{{ doc.name }}"
CASE_SUBJECT = "{{ doc.subject | e }}"
MISSED_TARGET = "{{ _(doc.overdue_log[-1].target) }}"
MISSED_DUE_AT = "{{ frappe.format(doc.overdue_log[-1].due_at, 'Datetime') }}"


@dataclass(frozen=True)
class MissedDueTimeAlert:
	notification: str  # the Notification's name
	# In a language: the subject (at most 140 characters) and the paragraphs of the message.
	texts: Callable[[str], tuple[str, list[str]]]


def logged_miss_texts(subject: str, missed: str, what_to_do: str) -> tuple[str, list[str]]:
	"""The texts of a case that logs its misses in `overdue_log`: the subject names the case and the
	missed target, the message says what was due when, and what to do."""
	return subject.format(CASE_NAME, MISSED_TARGET), [
		missed.format(CASE_NAME, CASE_SUBJECT, MISSED_TARGET, MISSED_DUE_AT),
		what_to_do,
	]


def dispute_case_texts(lang: str) -> tuple[str, list[str]]:
	return logged_miss_texts(
		_("Dispute case {0} missed its time target: {1}.", lang=lang),
		_("Dispute case {0} ({1}) missed its time target: {2}, due {3}.", lang=lang),
		_("Handle the case, or tell the community mediators why it is late.", lang=lang),
	)


def resident_request_texts(lang: str) -> tuple[str, list[str]]:
	return logged_miss_texts(
		_("Resident request {0} missed its time limit: {1}.", lang=lang),
		_("Resident request {0} ({1}) missed its time limit: {2}, due {3}.", lang=lang),
		_("Handle the request, or tell the community why it is late.", lang=lang),
	)


def safety_hazard_texts(lang: str) -> tuple[str, list[str]]:
	deadline = "{{ frappe.format(doc.rectification_deadline, 'Date') }}"
	hazard = (CASE_NAME, "{{ doc.hazard_title | e }}", "{{ doc.place_name | e }}", deadline)
	return _("Safety hazard {0} missed its rectification deadline.", lang=lang).format(CASE_NAME), [
		_("Safety hazard {0} ({1}, {2}) was to be rectified by {3}.", lang=lang).format(*hazard),
		_("Check the rectification, issue a second notice or refer the hazard to a department.", lang=lang),
	]


MISSED_DUE_TIME_ALERTS = {
	"Dispute Case": MissedDueTimeAlert("Dispute Case Missed Time Target", dispute_case_texts),
	"Resident Request": MissedDueTimeAlert("Resident Request Missed Time Limit", resident_request_texts),
	"Safety Hazard": MissedDueTimeAlert("Safety Hazard Missed Deadline", safety_hazard_texts),
}


def make_missed_due_time_notification(doctype: str) -> None:
	"""The Notification alerting the missed due times of `doctype`, to the users the case names in
	`alert_to`, in the site's language so that the manager edits a readable template; made once."""
	alert = MISSED_DUE_TIME_ALERTS[doctype]
	if frappe.db.exists("Notification", alert.notification):
		return
	lang = frappe.db.get_single_value("System Settings", "language") or "en"
	subject, paragraphs = alert.texts(lang)
	frappe.get_doc(
		{
			"doctype": "Notification",
			"name": alert.notification,
			"enabled": 1,
			"channel": "System Notification",
			"document_type": doctype,
			"event": "Method",
			"method": MISSED_METHOD,
			"subject": subject,
			"message": "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs),
			"recipients": [{"receiver_by_document_field": "alert_to"}],
		}
	).insert(ignore_permissions=True)
