# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint

MONTHS = (
	"January",
	"February",
	"March",
	"April",
	"May",
	"June",
	"July",
	"August",
	"September",
	"October",
	"November",
	"December",
)


class ActivityProgramme(Document):
	def validate(self):
		self.series = (self.series or "").strip()
		if not 2000 <= cint(self.year) <= 2100:
			frappe.throw(_("Give the programme's year, such as 2026."))
		for row in self.months:
			if cint(row.planned_activities) < 0:
				frappe.throw(
					_("Row {0}: the number of planned activities cannot be negative.").format(row.idx)
				)
		self.months.sort(key=lambda row: MONTHS.index(row.month) if row.month in MONTHS else 12)
		for index, row in enumerate(self.months, start=1):
			row.idx = index
