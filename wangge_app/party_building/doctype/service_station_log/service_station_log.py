# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today


class ServiceStationLog(Document):
	def validate(self):
		if self.people_count is None or self.people_count < 1:
			frappe.throw(
				_("The number of people must be at least 1, not {0}.").format(self.people_count),
				title=_("Invalid Number of People"),
			)
		if getdate(self.log_date) > getdate(today()):
			frappe.throw(
				_("The service date {0} lies in the future.").format(frappe.format(self.log_date, "Date"))
			)
		offered = frappe.get_all(
			"Station Service Offered",
			{"parent": self.station, "parenttype": "Party Mass Service Station"},
			pluck="service",
		)
		if self.service not in offered:
			frappe.throw(
				_("{0} does not offer the service {1}.").format(
					frappe.bold(self.station), frappe.bold(_(self.service))
				)
			)
