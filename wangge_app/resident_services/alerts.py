# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The alert of a request's missed time limit: a Frappe Notification on the method
`on_missed_due_time`, created on install (and by a patch on older sites) so that a manager edits its
text, channel, recipients or condition in the desk and updates keep them; as for dispute cases
(wangge_app/mediation/alerts.py)."""

import frappe
from frappe import _

from wangge_app.utils.due_times import MISSED_METHOD

OVERDUE_NOTIFICATION = "Resident Request Missed Time Limit"

# The newest row of the request's Missed Time Limits is the miss being alerted.
_MISSED = "doc.overdue_log[-1]"


def make_overdue_notification() -> None:
	if frappe.db.exists("Notification", OVERDUE_NOTIFICATION):
		return
	# Written in the site's language, so that the manager edits a readable template.
	lang = frappe.db.get_single_value("System Settings", "language") or "en"
	target = f"{{{{ _({_MISSED}.target) }}}}"
	subject = _("Resident request {0} missed its time limit: {1}.", lang=lang).format(
		"{{ doc.name }}", target
	)
	message = "<p>{}</p>\n<p>{}</p>".format(
		_("Resident request {0} ({1}) missed its time limit: {2}, due {3}.", lang=lang).format(
			"{{ doc.name }}",
			"{{ doc.subject | e }}",
			target,
			f"{{{{ frappe.format({_MISSED}.due_at, 'Datetime') }}}}",
		),
		_("Handle the request, or tell the community why it is late.", lang=lang),
	)
	frappe.get_doc(
		{
			"doctype": "Notification",
			"name": OVERDUE_NOTIFICATION,
			"enabled": 1,
			"channel": "System Notification",
			"document_type": "Resident Request",
			"event": "Method",
			"method": MISSED_METHOD,
			"subject": subject,
			"message": message,
			"recipients": [{"receiver_by_document_field": "alert_to"}],
		}
	).insert(ignore_permissions=True)
