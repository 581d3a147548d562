# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class Premises(Document):
	def validate(self):
		for fieldname in ("premises_name", "operator_name", "contact_phone", "address"):
			self.set(fieldname, (self.get(fieldname) or "").strip())
