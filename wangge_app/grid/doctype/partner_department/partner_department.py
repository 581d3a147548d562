# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

from frappe.model.document import Document

from wangge_app.grid.doctype.household.household import LANDLINE
from wangge_app.utils.validation import checked_mobile


class PartnerDepartment(Document):
	def validate(self):
		self.department_name = (self.department_name or "").strip()
		self.contact_phone = (self.contact_phone or "").strip()
		if self.contact_phone and not LANDLINE.match(self.contact_phone):
			self.contact_phone = checked_mobile(self.contact_phone)
