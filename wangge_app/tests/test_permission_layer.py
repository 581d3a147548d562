# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The permission layer covers every DocType of the app: each is classified in SCOPES (or is a child
table of classified DocTypes), and the hooks that follow from it are registered."""

import frappe
from frappe.model.base_document import get_controller
from frappe.tests.utils import FrappeTestCase

from wangge_app.permissions import (
	RowOfRecord,
	child_table_parents,
	validate_links_in_scope,
	validate_links_set_in_validate,
)
from wangge_app.roles import DISTRICT_MANAGER, GRID_WORKER
from wangge_app.scopes import SCOPES, doctypes_on_disk, query_conditions_hook_name
from wangge_app.test_utils import make_community_tree, make_household, make_user


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
				conditions.get(doctype),
				[f"wangge_app.permission_queries.{query_conditions_hook_name(doctype)}"],
			)
			frappe.get_attr(conditions[doctype][0])  # resolves to a function
			self.assertIn("wangge_app.permissions.has_permission", checks.get(doctype))
			if definition["istable"]:
				# Frappe calls no hook for a row loaded on its own: its controller checks the parent.
				controller = get_controller(doctype)
				self.assertTrue(issubclass(controller, RowOfRecord), f"{doctype}: {controller}")
			else:
				self.assertIn(
					"wangge_app.permissions.validate_links_in_scope", validations[doctype]["before_validate"]
				)
				self.assertIn(
					"wangge_app.permissions.validate_links_set_in_validate", validations[doctype]["validate"]
				)
			if SCOPES.get(doctype) and SCOPES[doctype].community_field:
				self.assertEqual(
					validations[doctype]["before_validate"][0], "wangge_app.naming.set_community"
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
			district = [p for p in perms if p.role == DISTRICT_MANAGER]
			self.assertEqual(
				{p.permlevel for p in district if p.read}, manager - {1}, f"District Manager on {doctype}"
			)
			for p in district:
				self.assertFalse(p.write or p.create or p.delete or p.submit or p.cancel, doctype)


class TestLinksCheckedOncePerSave(FrappeTestCase):
	"""The links a user sets are checked before the controller's validate; after it, only what the
	controller changed is asked again."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.worker = make_user("links-once-worker@example.com", [GRID_WORKER]).name
		_, cls.grid_a, _ = make_community_tree(workers=[cls.worker])
		_, cls.grid_b, _ = make_community_tree()
		cls.household_a = make_household(cls.grid_a.name).name
		cls.household_b = make_household(cls.grid_b.name).name

	def tearDown(self):
		frappe.set_user("Administrator")

	def new_resident(self):
		return frappe.get_doc(
			{
				"doctype": "Resident",
				"full_name": "次仁",
				"household": self.household_a,
				"grid": self.grid_a.name,
			}
		)

	def test_a_link_the_controller_changes_is_checked_after_it(self):
		frappe.set_user(self.worker)
		resident = self.new_resident()
		validate_links_in_scope(resident, "before_validate")
		resident.household = self.household_b  # as a controller's validate might
		with self.assertRaises(frappe.PermissionError):
			validate_links_set_in_validate(resident, "validate")

	def test_a_record_the_controller_moves_out_of_the_users_grids_is_refused(self):
		frappe.set_user(self.worker)
		resident = self.new_resident()
		validate_links_in_scope(resident, "before_validate")
		resident.grid = self.grid_b.name
		with self.assertRaises(frappe.PermissionError):
			validate_links_set_in_validate(resident, "validate")

	def test_a_link_checked_before_the_controller_is_not_asked_again(self):
		frappe.set_user(self.worker)
		resident = self.new_resident()
		validate_links_in_scope(resident, "before_validate")
		# The household leaves the worker's grids between the two checks: only the first one asked.
		frappe.db.set_value("Household", self.household_a, "grid", self.grid_b.name)
		try:
			validate_links_set_in_validate(resident, "validate")
			# Without the first check in the same save, the second asks every link.
			with self.assertRaises(frappe.PermissionError):
				validate_links_set_in_validate(self.new_resident(), "validate")
		finally:
			frappe.db.set_value("Household", self.household_a, "grid", self.grid_a.name)
