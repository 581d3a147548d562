# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Personal data behind permission level 1, and the masked forms everyone else reads.

ID numbers, dates of birth, mobile numbers and the sensitive situation flags of Resident,
Household and In-service Party Member sit at permlevel 1: Community Managers, System Managers
and Grid Workers read them, other roles (community mediators, for one) do not. Frappe hides
such fields in forms, lists, reports, exports and the standard print (and wangge_app.engine_guards
in filters and the form's version history); the controllers keep permlevel-0 masked copies
(540102********3905, 139****5678) for everyone else.
"""

import frappe

MASK = "*"


def mask_id_number(id_number: str | None) -> str:
	"""540102199001013905 -> 540102********3905: the region code and the last four."""
	value = (id_number or "").strip()
	if len(value) <= 10:
		return MASK * len(value)
	return value[:6] + MASK * (len(value) - 10) + value[-4:]


def mask_phone(phone: str | None) -> str:
	"""13912345678 -> 139****5678; 0891-6888888 -> 089*-***8888: the digits between the first
	three and the last four characters are hidden."""
	value = (phone or "").strip()
	if len(value) <= 7:
		return MASK * len(value)
	middle = "".join(MASK if char.isalnum() else char for char in value[3:-4])
	return value[:3] + middle + value[-4:]


def fill_masks(doctype: str, masks: dict) -> None:
	"""Patch helper: set the masked fields of every record, `masks`: target -> (source, function)."""
	sources = sorted({source for source, _mask in masks.values()})
	for row in frappe.get_all(doctype, fields=["name", *sources]):
		values = {target: mask(row.get(source)) for target, (source, mask) in masks.items()}
		frappe.db.set_value(doctype, row.name, values, update_modified=False)
