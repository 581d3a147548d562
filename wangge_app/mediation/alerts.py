# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The alert of a missed time target: a Frappe Notification that a manager edits in the desk
(`make_missed_due_time_notification`). The overdue job runs the case's method `on_missed_due_time`
once per missed target, after the case has logged the miss and written whom to alert in `alert_to`.
"""

from frappe import _

from wangge_app.utils.due_times import MISSED_DUE_AT, MISSED_TARGET, make_missed_due_time_notification

OVERDUE_NOTIFICATION = "Dispute Case Missed Time Target"


def make_overdue_notification() -> None:
	make_missed_due_time_notification(OVERDUE_NOTIFICATION, "Dispute Case", overdue_texts)


def overdue_texts(lang: str) -> tuple[str, list[str]]:
	subject = _("Dispute case {0} missed its time target: {1}.", lang=lang).format(
		"{{ doc.name }}", MISSED_TARGET
	)
	return subject, [
		_("Dispute case {0} ({1}) missed its time target: {2}, due {3}.", lang=lang).format(
			"{{ doc.name }}", "{{ doc.subject | e }}", MISSED_TARGET, MISSED_DUE_AT
		),
		_("Handle the case, or tell the community mediators why it is late.", lang=lang),
	]
