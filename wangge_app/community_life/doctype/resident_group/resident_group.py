# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class ResidentGroup(Document):
	def validate(self):
		self.group_name = (self.group_name or "").strip()
		seen = set()
		for row in self.members:
			if row.resident in seen:
				frappe.throw(
					_("Row {0}: {1} is listed twice.").format(
						row.idx, frappe.bold(row.resident_name or row.resident)
					)
				)
			seen.add(row.resident)
		self.member_count = len(self.members)
		spaces = [row.space for row in self.regular_spaces]
		if len(spaces) != len(set(spaces)):
			frappe.throw(_("A regular space is listed twice."))
