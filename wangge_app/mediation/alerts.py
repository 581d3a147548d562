# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The alert of a missed time target: a Frappe Notification that a manager edits in the desk.

It is created on install (and by a patch on older sites), not shipped as a standard Notification:
Frappe refuses edits to standard ones and reloads their message from the app. A manager may change
its subject, message, channel (e.g. add email), recipients or condition, or disable it; updates of
the app do not touch it. The overdue job runs the case's method `on_missed_due_time` once per
missed target, after the case has logged the miss and written whom to alert in `alert_to`.
"""

import frappe
from frappe import _

from wangge_app.utils.due_times import MISSED_METHOD

OVERDUE_NOTIFICATION = "Dispute Case Missed Time Target"

# The newest row of the case's Missed Time Targets is the miss being alerted.
_MISSED = "doc.overdue_log[-1]"


def make_overdue_notification() -> None:
	if frappe.db.exists("Notification", OVERDUE_NOTIFICATION):
		return
	# Written in the site's language, so that the manager edits a readable template.
	lang = frappe.db.get_single_value("System Settings", "language") or "en"
	target = f"{{{{ _({_MISSED}.target) }}}}"
	# Notification subjects hold 140 characters: the full sentence is the message.
	subject = _("Dispute case {0} missed its time target: {1}.", lang=lang).format("{{ doc.name }}", target)
	message = "<p>{}</p>\n<p>{}</p>".format(
		_("Dispute case {0} ({1}) missed its time target: {2}, due {3}.", lang=lang).format(
			"{{ doc.name }}",
			"{{ doc.subject | e }}",
			target,
			f"{{{{ frappe.format({_MISSED}.due_at, 'Datetime') }}}}",
		),
		_("Handle the case, or tell the community mediators why it is late.", lang=lang),
	)
	frappe.get_doc(
		{
			"doctype": "Notification",
			"name": OVERDUE_NOTIFICATION,
			"enabled": 1,
			"channel": "System Notification",
			"document_type": "Dispute Case",
			"event": "Method",
			"method": MISSED_METHOD,
			"subject": subject,
			"message": message,
			"recipients": [{"receiver_by_document_field": "alert_to"}],
		}
	).insert(ignore_permissions=True)
