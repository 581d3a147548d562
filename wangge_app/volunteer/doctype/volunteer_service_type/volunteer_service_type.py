# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class VolunteerServiceType(Document):
	def validate(self):
		if self.default_points is None or self.default_points <= 0:
			frappe.throw(_("Default points per participation must be greater than zero."))
		if not self.max_points_per_participant:
			self.max_points_per_participant = self.default_points
		if self.max_points_per_participant < self.default_points:
			frappe.throw(
				_("The most points per participant ({0}) cannot be below the default points ({1}).").format(
					self.max_points_per_participant, self.default_points
				)
			)


def get_max_points_per_participant(service_type: str) -> int:
	"""The most points an activity of this type awards each participant without a manager's approval."""
	default_points, max_points = frappe.db.get_value(
		"Volunteer Service Type", service_type, ["default_points", "max_points_per_participant"]
	) or (0, 0)
	return max_points or default_points or 0
