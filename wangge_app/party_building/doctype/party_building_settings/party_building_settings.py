# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class PartyBuildingSettings(Document):
	def validate(self):
		if self.min_served_households < 1:
			frappe.throw(_("The minimum number of served households must be at least 1."))
		if self.max_served_households < self.min_served_households:
			frappe.throw(_("The maximum number of served households cannot be below the minimum."))


def get_served_household_bounds() -> tuple[int, int]:
	"""How many households an active central household looks after, at least and at most."""
	# A single that was never saved loads with its defaults, 10 and 20.
	settings = frappe.get_cached_doc("Party Building Settings")
	return settings.min_served_households, settings.max_served_households
