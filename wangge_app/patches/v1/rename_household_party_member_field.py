"""The Household checkbox 有党员 was `party_member_household` ("Party Member Household"), the name the
party-member central household DocType now has: copy its values into `has_party_member`."""

import frappe
from frappe.model.utils.rename_field import rename_field

OLD_FIELD = "party_member_household"
NEW_FIELD = "has_party_member"


def execute():
	# A fresh site never had the old column; rename_field then does nothing either.
	if frappe.db.has_column("Household", OLD_FIELD):
		rename_field("Household", OLD_FIELD, NEW_FIELD)
