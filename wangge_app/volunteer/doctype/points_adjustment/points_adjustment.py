# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint

from wangge_app.volunteer import points


class PointsAdjustment(Document):
	def validate(self):
		self.points = cint(self.points)
		if not self.points:
			frappe.throw(_("An adjustment must add or deduct points."))
		if self.adjustment_type == points.EXPIRY and self.points > 0:
			frappe.throw(_("An expiry deducts points: enter a negative number."))
		self.reason = (self.reason or "").strip()

	def before_submit(self):
		# Checked before the document is marked submitted, so a refusal leaves it a draft.
		points.check_balances_cover({self.member: self.points})

	def on_submit(self):
		points.make_points_entry(
			self.member,
			self.points,
			self.adjustment_type,
			self.doctype,
			self.name,
			posting_date=self.posting_date,
			remarks=self.reason,
		)

	def before_cancel(self):
		points.check_reversible(self.doctype, self.name)

	def on_cancel(self):
		points.reverse_voucher_entries(self.doctype, self.name)
