"""Grid workers see the registry of their own grids through User Permissions on Grid.

A User Permission only restricts a user who has at least one; a grid worker who
has been unassigned from every grid would otherwise see every household. These
hooks close that gap: such a worker sees no registry records at all.
"""

import frappe
from frappe.permissions import get_user_permissions

GRID_WORKER_ROLE = "Grid Worker"
UNRESTRICTED_ROLES = {"Community Manager", "Community Mediator", "System Manager"}


def is_unassigned_grid_worker(user: str) -> bool:
	roles = set(frappe.get_roles(user))
	if GRID_WORKER_ROLE not in roles or roles & UNRESTRICTED_ROLES:
		return False
	return not get_user_permissions(user).get("Grid")


def registry_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	return "1=0" if is_unassigned_grid_worker(user or frappe.session.user) else ""


def registry_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	return False if is_unassigned_grid_worker(user or frappe.session.user) else None
