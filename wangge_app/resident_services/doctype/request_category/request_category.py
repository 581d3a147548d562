# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

from frappe.model.document import Document


class RequestCategory(Document):
	def validate(self):
		self.category_name = (self.category_name or "").strip()
