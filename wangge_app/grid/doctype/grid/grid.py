# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.desk.treeview import _get_children
from frappe.permissions import add_user_permission
from frappe.utils.nestedset import NestedSet, get_ancestors_of

from wangge_app.roles import GRID_WORKER
from wangge_app.utils.validation import checked_mobile

DISTRICT, SUB_DISTRICT, COMMUNITY, GRID_LEVEL, MICRO_GRID = (
	"District",
	"Sub-district",
	"Community",
	"Grid",
	"Micro-grid",
)
# The levels above the grids: a household belongs to a grid or micro-grid, never to these.
AREA_LEVELS = (DISTRICT, SUB_DISTRICT, COMMUNITY)
# The levels each level may sit directly under (None: at the top of the tree). A community is a root on
# a site of one community, or sits under its sub-district (街道) on a district's site.
PARENT_LEVELS = {
	DISTRICT: (None,),
	SUB_DISTRICT: (None, DISTRICT),
	COMMUNITY: (None, SUB_DISTRICT),
	GRID_LEVEL: (COMMUNITY,),
	MICRO_GRID: (GRID_LEVEL,),
}


class Grid(NestedSet):
	nsm_parent_field = "parent_grid"

	@property
	def household_count(self) -> int:
		return count_in_subtree("Household", self.name) if not self.is_new() else 0

	@property
	def resident_count(self) -> int:
		return count_in_subtree("Resident", self.name) if not self.is_new() else 0

	def validate(self):
		self.grid_code = (self.grid_code or "").strip()
		if self.is_new() and frappe.db.exists("Grid", self.grid_code):
			frappe.throw(
				_("Grid code {0} is already used by {1}.").format(
					frappe.bold(self.grid_code), frappe.db.get_value("Grid", self.grid_code, "grid_name")
				),
				frappe.DuplicateEntryError,
				title=_("Duplicate Grid Code"),
			)
		self.validate_place_in_tree()
		self.is_group = int(self.grid_level != MICRO_GRID)
		self.validate_grid_workers()

	def validate_place_in_tree(self):
		if self.parent_grid and self.parent_grid == self.name:
			frappe.throw(_("A grid cannot be its own parent."), title=_("Grid Tree Loop"))

		if self.parent_grid and not self.is_new():
			lft, rgt = frappe.db.get_value("Grid", self.name, ["lft", "rgt"])
			parent_lft = frappe.db.get_value("Grid", self.parent_grid, "lft")
			if lft < parent_lft < rgt:
				frappe.throw(
					_("{0} lies inside {1}, so it cannot become its parent.").format(
						frappe.bold(self.parent_grid), frappe.bold(self.name)
					),
					title=_("Grid Tree Loop"),
				)

		allowed = PARENT_LEVELS[self.grid_level]
		parent_level = self.parent_grid and frappe.db.get_value("Grid", self.parent_grid, "grid_level")
		if parent_level in allowed:
			pass
		elif allowed == (None,):
			frappe.throw(
				_("A {0} is the top of the grid tree and has no parent grid.").format(_(self.grid_level))
			)
		else:
			frappe.throw(
				_("A {0} must be placed under a {1}.").format(_(self.grid_level), _(allowed[-1])),
				title=_("Wrong Grid Level"),
			)

		if not self.is_new() and self.has_value_changed("grid_level"):
			child_levels = set(frappe.get_all("Grid", {"parent_grid": self.name}, pluck="grid_level"))
			if any(self.grid_level not in PARENT_LEVELS[level] for level in child_levels):
				frappe.throw(_("The level of a grid with sub-grids cannot be changed."))

	def validate_grid_workers(self):
		seen = set()
		for row in self.grid_workers:
			if row.user in seen:
				frappe.throw(
					_("Row {0}: {1} is listed twice as grid worker.").format(row.idx, frappe.bold(row.user))
				)
			seen.add(row.user)
			if GRID_WORKER not in frappe.get_roles(row.user):
				frappe.throw(
					_("Row {0}: user {1} does not have the role {2}.").format(
						row.idx, frappe.bold(row.user), _(GRID_WORKER)
					)
				)
			if not row.phone:
				row.phone = frappe.db.get_value("User", row.user, "mobile_no")
			if row.phone:
				row.phone = checked_mobile(row.phone)

	def on_update(self):
		super().on_update()
		before = self.get_doc_before_save()
		if not before or before.parent_grid != self.parent_grid:
			forget_cached_user_permissions()
		self.sync_grid_worker_permissions(
			removed={row.user for row in before.grid_workers} if before else set()
		)

	def on_trash(self):
		super().on_trash()
		forget_cached_user_permissions()
		removed = {row.user for row in self.grid_workers}
		self.grid_workers = []
		self.sync_grid_worker_permissions(removed)

	def sync_grid_worker_permissions(self, removed: set[str] = frozenset()):
		"""Grant each worker of the table a User Permission on this grid; revoke it from the workers
		taken off the table (`removed`: the users of the table before this save).

		Other User Permissions on the grid are not the table's: an administrator may scope, say, a
		party branch secretary to this grid by hand, and deleting that would leave the user
		unrestricted. So only these are revoked: those of users who were in the table and are no
		longer, and only in the form the table grants (all document types, no default, descendants
		shown, as `add_user_permission` makes it); one with other settings was made by hand and stays.
		A User Permission has no field that says who created it for what, hence the two conditions."""
		assigned = {row.user for row in self.grid_workers}
		permissions = frappe.get_all(
			"User Permission",
			{"allow": "Grid", "for_value": self.name},
			["name", "user", "apply_to_all_doctypes", "applicable_for", "is_default", "hide_descendants"],
		)
		for user in assigned - {p.user for p in permissions}:
			add_user_permission("Grid", self.name, user, ignore_permissions=True)
		for permission in permissions:
			if (
				permission.user in set(removed) - assigned
				and permission.apply_to_all_doctypes
				and not permission.applicable_for
				and not permission.is_default
				and not permission.hide_descendants
			):
				# Managers who may edit grids may not edit User Permissions directly.
				frappe.delete_doc("User Permission", permission.name, ignore_permissions=True)

	def get_contact_card_details(self) -> dict:
		"""Who a household of this grid calls: the nearest grid workers up the tree and the community hotline."""
		chain = [self, *(frappe.get_cached_doc("Grid", name) for name in get_ancestors_of("Grid", self.name))]
		# Full-time workers come first, even from a grid higher up than a part-time one.
		workers = nearest_workers(chain, full_time_only=True) or nearest_workers(chain)
		community = next((grid for grid in chain if grid.grid_level == COMMUNITY), None)
		# The card names the grids below the community (not the community, its sub-district or district).
		below_community = [grid for grid in chain if grid.grid_level not in AREA_LEVELS]
		grid_path = " / ".join(grid.grid_name for grid in reversed(below_community))
		return {
			"grid_path": grid_path,
			"community": community and community.grid_name,
			"hotline": community and community.service_hotline,
			"workers": workers,
		}


def forget_cached_user_permissions() -> None:
	"""Frappe caches each user's User Permissions with the sub-grids they cover: a grid added, moved or
	deleted changes what a permission on its ancestors covers, so every user's cache is dropped."""
	frappe.cache.delete_value("user_permissions")


def nearest_workers(chain: list, full_time_only: bool = False) -> list:
	"""The workers of the first grid up the chain that has any (full-time ones only, if asked)."""
	for grid in chain:
		if rows := [row for row in grid.grid_workers if row.full_time or not full_time_only]:
			return rows
	return []


def count_in_subtree(doctype: str, grid: str) -> int:
	return frappe.db.count(doctype, {"grid": ["descendants of (inclusive)", grid]})


@frappe.whitelist()
def get_children(doctype="Grid", parent="", **filters) -> list[dict]:
	"""Tree nodes for the Grid tree view. A grid worker may not see the community above
	their grid, so the tree's roots are the topmost grids the user can see."""
	# No type hints: Frappe's own type check answers a wrong type with no message.
	if doctype != "Grid" or not isinstance(parent, str):
		frappe.throw(_("The grid tree shows grids only."))
	frappe.has_permission("Grid", "read", throw=True)
	if parent and parent != doctype:
		return _get_children(doctype, parent)
	visible = frappe.get_list(
		"Grid",
		fields=["name as value", "grid_name as title", "is_group as expandable", "parent_grid"],
		order_by="lft",
	)
	names = {grid.value for grid in visible}
	return [grid for grid in visible if grid.parent_grid not in names]
