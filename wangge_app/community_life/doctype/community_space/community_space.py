# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, get_time


class CommunitySpace(Document):
	def validate(self):
		self.space_name = (self.space_name or "").strip()
		if cint(self.capacity) < 0:
			frappe.throw(_("The capacity of a space cannot be negative."))
		if get_time(self.closing_time) <= get_time(self.opening_time):
			frappe.throw(_("A space must close after it opens."))
