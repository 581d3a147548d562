# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today

from wangge_app.utils.masking import mask_id_number, mask_phone
from wangge_app.utils.validation import checked_id_number, checked_mobile

ELDERLY_AGE = 60
CHILD_AGE = 14


class Resident(Document):
	def validate(self):
		self.full_name = (self.full_name or "").strip()
		self.set_from_id_number()
		if self.mobile:
			self.mobile = checked_mobile(self.mobile)
		self.set_masks()
		self.set_grid_from_household()

	def set_masks(self):
		"""What readers without access to the personal data (permlevel 1) see instead."""
		self.id_number_masked = mask_id_number(self.id_number)
		self.mobile_masked = mask_phone(self.mobile)

	def set_from_id_number(self):
		info = checked_id_number(self.id_number)
		self.id_number = info.id_number
		self.validate_id_number_is_new()
		self.gender = info.gender
		self.date_of_birth = info.date_of_birth
		age = age_on(info.date_of_birth, getdate(today()))
		self.is_elderly = int(age >= ELDERLY_AGE)
		self.is_child = int(age < CHILD_AGE)

	def validate_id_number_is_new(self):
		other = frappe.db.get_value("Resident", {"id_number": self.id_number, "name": ("!=", self.name)})
		if not other:
			return
		if frappe.has_permission("Resident", "read", doc=other):
			message = _("ID number {0} is already registered.").format(frappe.bold(self.id_number))
		else:
			# Registered where this user cannot look (another grid): say nothing about whom or where.
			message = _("This ID number cannot be registered here. Please contact the community office.")
		frappe.throw(message, frappe.DuplicateEntryError, title=_("Duplicate ID Number"))

	def set_grid_from_household(self):
		if not frappe.has_permission("Household", "read", doc=self.household):
			frappe.throw(
				_("You can only register residents in households of your own grids."),
				frappe.PermissionError,
			)
		self.grid = frappe.db.get_value("Household", self.household, "grid")


def age_on(date_of_birth, day) -> int:
	return day.year - date_of_birth.year - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))
