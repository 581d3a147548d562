# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class VolunteerPointsEntry(Document):
	"""One line of the append-only points ledger; only wangge_app.volunteer.points writes it."""

	def before_insert(self):
		if not self.flags.from_ledger:
			frappe.throw(
				_(
					"Points entries are written by the system only: submit a Volunteer Activity or a Points Adjustment."
				),
				frappe.PermissionError,
				title=_("Points Ledger"),
			)

	def validate(self):
		if not self.is_new():
			refuse_change()

	def on_trash(self):
		refuse_change()


def refuse_change():
	frappe.throw(
		_("Points entries cannot be changed or deleted. To correct points, submit a Points Adjustment."),
		frappe.PermissionError,
		title=_("Points Ledger"),
	)


def on_doctype_update():
	# Balances, statements and checks read one member's entries (in date order); cancelling reads a voucher's.
	frappe.db.add_index("Volunteer Points Entry", ["member", "posting_date"])
	frappe.db.add_index("Volunteer Points Entry", ["voucher_type", "voucher_no"])
