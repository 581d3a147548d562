# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""A case's "Referred To" was free text and is now a link to the shared Partner Department list:
each body named in a case becomes a department (type Other, for a manager to complete), so that
the cases keep what they say and save again."""

import frappe


def execute():
	named = frappe.get_all(
		"Dispute Case", filters={"referred_to": ("is", "set")}, pluck="referred_to", distinct=True
	)
	for department_name in named:
		if frappe.db.exists("Partner Department", department_name):
			continue
		frappe.get_doc(
			{"doctype": "Partner Department", "department_name": department_name, "department_type": "Other"}
		).insert(ignore_permissions=True)
