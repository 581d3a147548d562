# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from wangge_app.install import (
	FORM_CUSTOMISATION_PERMISSIONS,
	FORM_CUSTOMISER_ROLE,
	PERMISSION_TYPES,
	grant_form_customisation,
)
from wangge_app.test_utils import make_user

MANAGER = "test-form-customiser@example.com"


class TestFormCustomisation(FrappeTestCase):
	"""A Community Manager customises forms and workflows without System Manager, and gains nothing else."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(MANAGER, [FORM_CUSTOMISER_ROLE])
		frappe.db.commit()

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_the_role_is_granted_those_doctypes_only(self):
		rules = frappe.get_all("Custom DocPerm", filters={"role": FORM_CUSTOMISER_ROLE}, fields="*")
		self.assertEqual({rule.parent for rule in rules}, set(FORM_CUSTOMISATION_PERMISSIONS))
		for rule in rules:
			granted = {ptype for ptype in PERMISSION_TYPES if rule.get(ptype)}
			self.assertEqual(granted, set(FORM_CUSTOMISATION_PERMISSIONS[rule.parent]), rule.parent)
			self.assertEqual(rule.permlevel, 0)
			self.assertFalse(rule.if_owner)

	def test_system_manager_keeps_its_rules(self):
		for doctype in FORM_CUSTOMISATION_PERMISSIONS:
			self.assertTrue(
				frappe.db.exists("Custom DocPerm", {"parent": doctype, "role": "System Manager", "write": 1})
			)

	def test_granting_again_changes_nothing(self):
		before = frappe.get_all("Custom DocPerm", fields="*", order_by="name")
		grant_form_customisation()
		self.assertEqual(frappe.get_all("Custom DocPerm", fields="*", order_by="name"), before)

	def test_manager_customises_a_form(self):
		frappe.set_user(MANAGER)
		self.assertNotIn("System Manager", frappe.get_roles())
		customize = frappe.get_doc("Customize Form")
		customize.doc_type = "Household"
		customize.fetch_to_customize()
		customize.get("fields", {"fieldname": "unit"})[0].label = "Unit No."
		customize.save_customization()
		self.assertEqual(
			frappe.db.get_value(
				"Property Setter",
				{"doc_type": "Household", "field_name": "unit", "property": "label"},
				"value",
			),
			"Unit No.",
		)
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.clear_cache(doctype="Household")

	def test_customize_form_shows_and_keeps_labels_as_the_desk_shows_them(self):
		frappe.set_user(MANAGER)
		frappe.local.lang = "zh"
		self.addCleanup(setattr, frappe.local, "lang", "en")
		customize = frappe.get_doc("Customize Form")
		customize.doc_type = "Household"
		customize.fetch_to_customize()
		labels = {row.fieldname: row.label for row in customize.fields}
		# As the Household form shows them: Chinese, not the stored English.
		self.assertEqual(labels["building"], frappe._("Building", context="Household"))
		self.assertNotEqual(labels["building"], "Building")
		# Saved as shown: no label is stored for a field the manager left alone; a changed one is.
		customize.get("fields", {"fieldname": "room"})[0].label = "房间号"
		customize.save_customization()
		setters = frappe.get_all(
			"Property Setter", {"doc_type": "Household", "property": "label"}, pluck="field_name"
		)
		self.assertIn("room", setters)
		self.assertEqual((set(labels) - {"room"}) & set(setters), set())
		self.assertEqual(frappe.get_meta("Household", cached=False).get_field("building").label, "Building")
		# And shown again translated after the save.
		self.assertEqual(customize.get("fields", {"fieldname": "building"})[0].label, labels["building"])
		frappe.set_user("Administrator")
		frappe.db.rollback()
		frappe.clear_cache(doctype="Household")

	def test_manager_cannot_edit_permissions_roles_or_settings(self):
		frappe.set_user(MANAGER)
		for doctype in (
			"User Permission",
			"Role",
			"System Settings",
			"Custom DocPerm",
			"Role Profile",
			"DocType",
		):
			for ptype in ("write", "create", "delete"):
				self.assertFalse(frappe.has_permission(doctype, ptype), f"{ptype} {doctype}")
		# Every user edits their own User record; no one else's, and never roles.
		self.assertFalse(frappe.has_permission("User", "write", "Administrator"))
		self.assertFalse(frappe.has_permission("User", "create"))

		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc(
				{"doctype": "User Permission", "user": MANAGER, "allow": "User", "for_value": MANAGER}
			).insert()
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc({"doctype": "Role", "role_name": "Test Form Customiser Role"}).insert()
		settings = frappe.get_doc("System Settings")
		settings.allow_error_traceback = 1
		with self.assertRaises(frappe.PermissionError):
			settings.save()
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc(
				{
					"doctype": "Custom DocPerm",
					"parent": "Role",
					"parenttype": "DocType",
					"parentfield": "permissions",
					"role": FORM_CUSTOMISER_ROLE,
					"read": 1,
					"write": 1,
				}
			).insert()

		# Customize Form itself refuses the core DocTypes and single DocTypes such as System Settings.
		for doctype in ("Role", "User", "DocPerm", "System Settings"):
			customize = frappe.get_doc("Customize Form")
			customize.doc_type = doctype
			with self.assertRaises(frappe.ValidationError):
				customize.fetch_to_customize()


class TestWorkflowEditing(FrappeTestCase):
	"""A Community Manager changes the app's workflows in the desk, and no other DocType's."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(MANAGER, [FORM_CUSTOMISER_ROLE])

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_manager_changes_a_transition_of_an_app_workflow(self):
		frappe.set_user(MANAGER)
		workflow = frappe.get_doc("Workflow", "Safety Hazard Workflow")
		transition = workflow.transitions[0]
		transition.condition = "doc.risk_level != 'Major'"
		workflow.save()
		self.assertEqual(
			frappe.db.get_value("Workflow Transition", transition.name, "condition"),
			"doc.risk_level != 'Major'",
		)
		# A new state and action of its own.
		frappe.get_doc({"doctype": "Workflow State", "workflow_state_name": "待街道复核"}).insert()
		frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": "提交街道复核"}).insert()

	def test_manager_cannot_touch_other_workflows(self):
		frappe.get_doc(
			{
				"doctype": "Workflow",
				"workflow_name": "Test Note Workflow",
				"document_type": "Note",
				# A field Note has: a new one would be added as a column, which commits.
				"workflow_state_field": "title",
				"is_active": 0,
				"states": [{"state": "Approved", "doc_status": "0", "allow_edit": "System Manager"}],
			}
		).insert()
		frappe.set_user(MANAGER)
		note_workflow = frappe.get_doc("Workflow", "Test Note Workflow")
		note_workflow.states[0].allow_edit = FORM_CUSTOMISER_ROLE
		with self.assertRaises(frappe.PermissionError):
			note_workflow.save()
		moved = frappe.get_doc("Workflow", "Safety Hazard Workflow")
		moved.document_type = "User"
		with self.assertRaises(frappe.PermissionError):
			moved.save()
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc(
				{
					"doctype": "Workflow",
					"workflow_name": "Test User Workflow",
					"document_type": "User",
					"workflow_state_field": "workflow_state",
					"states": [{"state": "Approved", "doc_status": "0", "allow_edit": FORM_CUSTOMISER_ROLE}],
				}
			).insert()
		with self.assertRaises(frappe.PermissionError):
			frappe.delete_doc("Workflow", "Safety Hazard Workflow")
