# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Field-level read permissions in list queries: remove every field the user may not read.

The engine's `DatabaseQuery.apply_fieldlevel_read_permissions` (Frappe 15.0.0-dev) removes a
field the user may not read by popping it from the list it is iterating over (unless the query
returns lists), so the field after it is never checked: `frappe.client.get_list("Resident",
fields=["id_number", "id_number"])` returned the ID number to a community mediator, and so did
any permlevel-1 field asked for right after another one. Here the engine's own check runs
with removed fields blanked out in place, and the blanks are dropped afterwards.
"""

from frappe.model.db_query import DatabaseQuery

_engine_apply = DatabaseQuery.apply_fieldlevel_read_permissions


def apply_fieldlevel_read_permissions(self):
	as_list = self.as_list
	self.as_list = True  # remove_field() then sets None instead of shifting the list
	try:
		_engine_apply(self)
	finally:
		self.as_list = as_list
	if not as_list:
		self.fields = [field for field in self.fields if field is not None]


def install() -> None:
	if DatabaseQuery.apply_fieldlevel_read_permissions is not apply_fieldlevel_read_permissions:
		DatabaseQuery.apply_fieldlevel_read_permissions = apply_fieldlevel_read_permissions
