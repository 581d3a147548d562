# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The alert of a request's missed time limit: a Frappe Notification on the method
`on_missed_due_time` that a manager edits in the desk (`make_missed_due_time_notification`)."""

from frappe import _

from wangge_app.utils.due_times import MISSED_DUE_AT, MISSED_TARGET, make_missed_due_time_notification

OVERDUE_NOTIFICATION = "Resident Request Missed Time Limit"


def make_overdue_notification() -> None:
	make_missed_due_time_notification(OVERDUE_NOTIFICATION, "Resident Request", overdue_texts)


def overdue_texts(lang: str) -> tuple[str, list[str]]:
	subject = _("Resident request {0} missed its time limit: {1}.", lang=lang).format(
		"{{ doc.name }}", MISSED_TARGET
	)
	return subject, [
		_("Resident request {0} ({1}) missed its time limit: {2}, due {3}.", lang=lang).format(
			"{{ doc.name }}", "{{ doc.subject | e }}", MISSED_TARGET, MISSED_DUE_AT
		),
		_("Handle the request, or tell the community why it is late.", lang=lang),
	]
