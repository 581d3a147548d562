# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The permission layer covers every DocType of the app: each is classified in SCOPES (or is a child
table of classified DocTypes), and the hooks that follow from it are registered."""

import frappe
from frappe.model.base_document import get_controller
from frappe.tests.utils import FrappeTestCase

from wangge_app.permissions import DISTRICT_MANAGER_ROLE, RowOfRecord, child_table_parents
from wangge_app.scopes import SCOPES, doctypes_on_disk, query_conditions_hook_name


class TestPermissionLayer(FrappeTestCase):
	def test_every_doctype_is_classified(self):
		parents = child_table_parents()
		unclassified = [
			doctype
			for doctype, definition in doctypes_on_disk().items()
			if doctype not in SCOPES
			and not (definition["istable"] and parents.get(doctype) and set(parents[doctype]) <= set(SCOPES))
		]
		self.assertEqual(unclassified, [], "classify these DocTypes in wangge_app/scopes.py")
		self.assertEqual(sorted(set(SCOPES) - set(doctypes_on_disk())), [])
		installed = frappe.get_all(
			"DocType", {"module": ("in", frappe.get_module_list("wangge_app"))}, pluck="name"
		)
		self.assertEqual(sorted(installed), sorted(doctypes_on_disk()))

	def test_scope_fields_exist(self):
		for doctype, scope in SCOPES.items():
			meta = frappe.get_meta(doctype)
			for fieldname in (scope.grid_field, scope.merchant_field):
				if fieldname and fieldname != "name":
					self.assertTrue(meta.get_field(fieldname), f"{doctype}.{fieldname}")
			if scope.grid_via:
				self.assertEqual(meta.get_field(scope.grid_field).options, scope.grid_via)
				self.assertTrue(frappe.get_meta(scope.grid_via).get_field("grid"))
			if scope.community_field:
				# Frappe's own User Permission check would hide a community's records from its grid
				# workers, whose User Permissions name grids below it: the layer decides instead.
				field = meta.get_field(scope.community_field)
				self.assertEqual((field.fieldtype, field.options), ("Link", "Grid"), doctype)
				self.assertTrue(field.ignore_user_permissions and field.search_index, doctype)
			if scope.community_from:
				source = meta.get_field(scope.community_from).options
				self.assertTrue(SCOPES[source].community_field, f"{doctype}.{scope.community_from}")

	def test_hooks_cover_every_doctype(self):
		conditions = frappe.get_hooks("permission_query_conditions")
		checks = frappe.get_hooks("has_permission")
		validations = frappe.get_hooks("doc_events")
		for doctype, definition in doctypes_on_disk().items():
			self.assertEqual(
				conditions.get(doctype), [f"wangge_app.permissions.{query_conditions_hook_name(doctype)}"]
			)
			frappe.get_attr(conditions[doctype][0])  # resolves to a function
			self.assertIn("wangge_app.permissions.has_permission", checks.get(doctype))
			if definition["istable"]:
				# Frappe calls no hook for a row loaded on its own: its controller checks the parent.
				controller = get_controller(doctype)
				self.assertTrue(issubclass(controller, RowOfRecord), f"{doctype}: {controller}")
			else:
				for event in ("before_validate", "validate"):
					self.assertIn(
						"wangge_app.permissions.validate_links_in_scope", validations[doctype][event]
					)
			if SCOPES.get(doctype) and SCOPES[doctype].community_field:
				self.assertEqual(
					validations[doctype]["before_validate"][0], "wangge_app.permissions.set_community"
				)
				self.assertIn(
					"wangge_app.permissions.validate_within_community", validations[doctype]["validate"]
				)

	def test_district_manager_reads_what_community_managers_read(self):
		"""A District Manager oversees every community: it reads each DocType a Community Manager reads,
		without personal data (permission level 1) and without changing anything."""
		for doctype, definition in doctypes_on_disk().items():
			if definition["istable"]:
				continue
			perms = frappe.get_meta(doctype).permissions
			manager = {p.permlevel for p in perms if p.role == "Community Manager" and p.read}
			district = [p for p in perms if p.role == DISTRICT_MANAGER_ROLE]
			self.assertEqual(
				{p.permlevel for p in district if p.read}, manager - {1}, f"District Manager on {doctype}"
			)
			for p in district:
				self.assertFalse(p.write or p.create or p.delete or p.submit or p.cancel, doctype)
