# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Each role's own desk: the workspaces of `wangge_app.overview`, and Frappe's own workspaces kept for
the roles that use them.

Run on install, by a patch on existing sites and after every migrate: a Frappe update re-imports its
standard workspaces without the roles given here, and the next migrate gives them back. A workspace
whose roles someone has set is left as it is.
"""

import frappe

from wangge_app.overview import sync_overview

# Frappe's workspaces that community staff, grid workers and party officers have no use for: only
# the roles here see them (Administrator and Workspace Managers see every workspace). Frappe v15.41 has
# no "Settings" workspace any more; its "Welcome Workspace" shows only to a user with no other page.
CORE_WORKSPACE_ROLES = {
	"Build": ("System Manager",),
	"Users": ("System Manager",),
	"Website": ("System Manager", "Website Manager"),
	"Tools": ("System Manager",),
	"Integrations": ("System Manager",),
}


def set_up_desk() -> None:
	sync_overview()
	keep_core_workspaces_for_their_roles()


def after_migrate() -> None:
	set_up_desk()


def keep_core_workspaces_for_their_roles() -> None:
	for workspace, roles in CORE_WORKSPACE_ROLES.items():
		if not frappe.db.exists("Workspace", workspace):
			continue
		if frappe.db.exists("Has Role", {"parenttype": "Workspace", "parent": workspace}):
			continue
		# Written as rows, not by saving the workspace: a standard workspace saved in developer mode
		# would be written back into Frappe's own files.
		for idx, role in enumerate(roles, start=1):
			frappe.get_doc(
				{
					"doctype": "Has Role",
					"parenttype": "Workspace",
					"parentfield": "roles",
					"parent": workspace,
					"role": role,
					"idx": idx,
				}
			).db_insert()
	frappe.cache.delete_key("bootinfo")
	frappe.clear_cache()
