# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Handing a record to the people who act on it: Frappe's assignments (ToDo), with the text their
to-do lists show; the grid workers nearest to a grid answer for what happens in it."""

import frappe
from frappe.desk.form import assign_to
from frappe.utils.nestedset import get_ancestors_of

from wangge_app.grid.doctype.grid.grid import nearest_workers


def nearest_grid_workers(grid: str) -> list[str]:
	"""The grid workers of the grid, or of the nearest grid up the tree that has any."""
	chain = [frappe.get_cached_doc("Grid", name) for name in [grid, *get_ancestors_of("Grid", grid)]]
	return [row.user for row in nearest_workers(chain)]


# The app hands its records on as the system does, whatever the user whose action caused it may
# read: a guest's request from a contact card is assigned to the grid's workers, an escalated case
# leaves the grid worker's list. Frappe 15 checks the current user's permission on the record in
# assign_to unless told it acts for the system (`ignore_permissions`).


def assign(doc, users: list[str], description: str, date=None) -> None:
	"""Assign the record to `users` (no one: nothing happens), due on `date` if given."""
	if users:
		assign_to.add(
			{
				"doctype": doc.doctype,
				"name": doc.name,
				"assign_to": users,
				"date": date,
				"description": description,
			},
			ignore_permissions=True,
		)


def unassign(doc, user: str) -> None:
	"""End `user`'s open assignment of the record."""
	assign_to.remove(doc.doctype, doc.name, user, ignore_permissions=True)


def close_assignments(doc) -> None:
	"""Close every open assignment of the record: its work is done."""
	assign_to.close_all_assignments(doc.doctype, doc.name, ignore_permissions=True)
