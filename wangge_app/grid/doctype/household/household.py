# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import re

import frappe
from frappe import _
from frappe.model.document import Document

from wangge_app.grid.doctype.grid.grid import AREA_LEVELS, COMMUNITY
from wangge_app.utils.masking import mask_phone
from wangge_app.utils.validation import checked_mobile

LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


class Household(Document):
	def validate(self):
		self.validate_grid()
		self.address = compose_address(self.building, self.unit, self.room)
		self.validate_head_of_household()
		self.validate_phone()

	def validate_grid(self):
		level = frappe.db.get_value("Grid", self.grid, "grid_level")
		if level == COMMUNITY:
			frappe.throw(
				_("A household belongs to a grid or micro-grid, not to the community {0}.").format(
					frappe.bold(self.grid)
				),
				title=_("Wrong Grid Level"),
			)
		if level in AREA_LEVELS:
			frappe.throw(
				_("A household belongs to a grid or micro-grid, not to the {0} {1}.").format(
					_(level), frappe.bold(self.grid)
				),
				title=_("Wrong Grid Level"),
			)

	def validate_head_of_household(self):
		if self.head_of_household and (
			frappe.db.get_value("Resident", self.head_of_household, "household") != self.name
		):
			frappe.throw(
				_("The head of household must be a resident registered in this household."),
			)

	def validate_phone(self):
		self.phone = (self.phone or "").strip()
		if self.phone and not LANDLINE.match(self.phone):
			self.phone = checked_mobile(self.phone)
		# What readers without access to the phone (permlevel 1) see instead.
		self.phone_masked = mask_phone(self.phone)

	def on_update(self):
		# Residents carry the grid so that grid workers' permissions apply to them too.
		if self.has_value_changed("grid"):
			frappe.db.set_value("Resident", {"household": self.name}, "grid", self.grid)

	def get_contact_card_details(self) -> dict:
		return frappe.get_cached_doc("Grid", self.grid).get_contact_card_details()


def compose_address(building: str, unit: str | None, room: str) -> str:
	"""3, 2, 501 -> 3栋2单元501室; parts already written with their suffix stay as they are."""
	parts = []
	for value, suffix in ((building, "栋"), (unit, "单元"), (room, "室")):
		value = (value or "").strip()
		if value:
			parts.append(value + suffix if value.isascii() else value)
	return "".join(parts)
