# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint

# Days to rectify a hazard, by its risk level, when Safety Settings were never saved.
DEFAULT_DEADLINE_DAYS = {"General": 7, "Significant": 15, "Major": 30}
DEADLINE_FIELDS = {
	"General": "general_deadline_days",
	"Significant": "significant_deadline_days",
	"Major": "major_deadline_days",
}


class SafetySettings(Document):
	def validate(self):
		for fieldname in DEADLINE_FIELDS.values():
			if cint(self.get(fieldname)) < 1:
				frappe.throw(
					_("{0} must be at least one day.").format(frappe.bold(_(self.meta.get_label(fieldname))))
				)


def deadline_days(risk_level: str) -> int:
	"""Days a hazard of this risk level has for its rectification (Safety Settings)."""
	fieldname = DEADLINE_FIELDS[risk_level]
	return cint(frappe.db.get_single_value("Safety Settings", fieldname)) or DEFAULT_DEADLINE_DAYS[risk_level]
