# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class InspectionTemplate(Document):
	def validate(self):
		self.template_name = (self.template_name or "").strip()
		if not self.items:
			frappe.throw(_("A checklist needs at least one check item."), title=_("Check Items Missing"))
		seen = set()
		for row in self.items:
			row.item = (row.item or "").strip()
			if not row.item:
				frappe.throw(_("Check items, row {0}: enter what is checked.").format(row.idx))
			if row.item in seen:
				frappe.throw(
					_("Check items, row {0}: {1} is listed twice.").format(row.idx, frappe.bold(row.item))
				)
			seen.add(row.item)
