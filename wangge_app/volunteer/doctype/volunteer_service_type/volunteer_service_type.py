# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class VolunteerServiceType(Document):
	def validate(self):
		if self.default_points is None or self.default_points <= 0:
			frappe.throw(_("Default points per participation must be greater than zero."))
