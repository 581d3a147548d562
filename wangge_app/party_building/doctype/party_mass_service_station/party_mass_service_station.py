# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class PartyMassServiceStation(Document):
	def validate(self):
		self.station_name = (self.station_name or "").strip()
		services = [row.service for row in self.services]
		if len(services) != len(set(services)):
			frappe.throw(_("Each service is listed once only."))
