# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The place an inspection or a hazard is about: a household or premises, whose grid it takes."""

import frappe
from frappe import _

HOUSEHOLD = "Household"
PREMISES = "Premises"


def set_place(doc) -> None:
	"""Keep the link of the chosen kind of place only, and take the place's grid and name."""
	if doc.place_kind == PREMISES:
		doc.household = None
		place = doc.premises
		if not place:
			frappe.throw(_("Choose the premises."), title=_("Place Missing"))
		values = frappe.db.get_value(PREMISES, place, ["grid", "premises_name"], as_dict=True)
		name = values and values.premises_name
	else:
		doc.place_kind = HOUSEHOLD
		doc.premises = None
		place = doc.household
		if not place:
			frappe.throw(_("Choose the household."), title=_("Place Missing"))
		values = frappe.db.get_value(HOUSEHOLD, place, ["grid", "address"], as_dict=True)
		name = values and values.address
	if not values:
		frappe.throw(_("{0} {1} does not exist.").format(_(doc.place_kind), frappe.bold(place)))
	doc.grid = values.grid
	doc.place_name = name or place


def place_of(doc) -> tuple[str, str]:
	"""(DocType, name) of the document's place."""
	return (PREMISES, doc.premises) if doc.place_kind == PREMISES else (HOUSEHOLD, doc.household)
