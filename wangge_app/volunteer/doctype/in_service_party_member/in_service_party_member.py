# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from wangge_app.utils.masking import mask_phone
from wangge_app.utils.validation import checked_mobile
from wangge_app.volunteer import points

ACTIVE = "In Service"


class InservicePartyMember(Document):
	def validate(self):
		self.full_name = (self.full_name or "").strip()
		self.mobile = checked_mobile(self.mobile)
		# What readers without access to the mobile number (permlevel 1) see instead.
		self.mobile_masked = mask_phone(self.mobile)
		if frappe.db.exists(self.doctype, {"mobile": self.mobile, "name": ("!=", self.name)}):
			frappe.throw(
				_("A party member with the mobile number {0} is already registered.").format(
					frappe.bold(self.mobile)
				),
				frappe.DuplicateEntryError,
			)
		if self.resident and not self.grid:
			self.grid = frappe.db.get_value("Resident", self.resident, "grid")
		self.keep_ledger_totals()

	def keep_ledger_totals(self):
		"""The balance and activity count belong to the ledger: a form save never changes them."""
		if self.is_new():
			self.points_balance = self.activity_count = 0
		else:
			self.points_balance, self.activity_count, _name = points.lock_member(self.name)

	def get_points_statement(self, from_date=None, to_date=None) -> dict:
		return points.get_points_statement(self.name, from_date, to_date)
