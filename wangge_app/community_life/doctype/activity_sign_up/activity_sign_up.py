# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""A resident's sign-up for a community activity; see `wangge_app.community_life.sign_ups` for how
places and the waiting list are decided. The sign-up belongs to the resident's grid."""

import frappe
from frappe import _
from frappe.model.document import Document

from wangge_app.community_life import sign_ups


class ActivitySignup(Document):
	def validate(self):
		if self.is_new():
			self.grid = frappe.db.get_value("Resident", self.resident, "grid")
			sign_ups.decide_new_sign_up(self, self.flags.now)
			return
		if self.flags.status_change:
			return
		before = self.get_doc_before_save()
		if before and (before.activity, before.resident) != (self.activity, self.resident):
			frappe.throw(
				_("A sign-up cannot move to another activity or resident; cancel it and sign up again.")
			)

	def after_insert(self):
		sign_ups.update_counts(self.activity)

	def on_trash(self):
		if self.status in sign_ups.ACTIVE:
			frappe.throw(_("Cancel the sign-up instead of deleting it: its place goes to the next resident."))
