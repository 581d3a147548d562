# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from wangge_app import workflows as wf
from wangge_app.mediation.doctype.dispute_case import dispute_case
from wangge_app.party_building.doctype.party_member_household import party_member_household
from wangge_app.party_building.install import STANDARD_STATION_SERVICES
from wangge_app.volunteer import redemption


def site_rows(workflow: str):
	doc = frappe.get_doc("Workflow", workflow)
	states = {
		(r.state, str(r.doc_status), r.allow_edit, r.update_field or None, r.update_value or None)
		for r in doc.states
	}
	transitions = {
		(r.state, r.action, r.next_state, r.allowed, r.condition or None, r.allow_self_approval)
		for r in doc.transitions
	}
	return doc, states, transitions


class TestWorkflowDefinitions(FrappeTestCase):
	"""The workflows on the site, as installed, are the ones wangge_app/workflows.py defines."""

	def test_installed_workflows_match_definitions(self):
		for definition in wf.WORKFLOWS:
			with self.subTest(workflow=definition.name):
				doc, states, transitions = site_rows(definition.name)
				self.assertEqual(doc.document_type, definition.document_type)
				self.assertEqual(doc.workflow_state_field, definition.state_field)
				self.assertTrue(doc.is_active)
				self.assertEqual(
					states,
					{
						(r.state, r.doc_status, r.allow_edit, r.update_field, r.update_value)
						for r in definition.states
					},
				)
				self.assertEqual(
					transitions,
					{
						(r.state, r.action, r.next_state, r.allowed, r.condition, r.allow_self_approval)
						for r in definition.transitions
					},
				)
				for state in definition.state_names:
					self.assertTrue(frappe.db.exists("Workflow State", state), state)
				for action in definition.action_names:
					self.assertTrue(frappe.db.exists("Workflow Action Master", action), action)
				roles = {r.allow_edit for r in definition.states} | {
					r.allowed for r in definition.transitions
				}
				for role in roles:
					self.assertTrue(frappe.db.exists("Role", role), role)

	def test_stock_station_services_installed(self):
		for name in STANDARD_STATION_SERVICES:
			self.assertTrue(frappe.db.exists("Station Service", name), name)

	def test_constants_name_defined_states_and_actions(self):
		states = set().union(*(d.state_names for d in wf.WORKFLOWS))
		actions = set().union(*(d.action_names for d in wf.WORKFLOWS))
		roles = {r.allow_edit for d in wf.WORKFLOWS for r in d.states} | {
			r.allowed for d in wf.WORKFLOWS for r in d.transitions
		}
		for name, value in vars(wf).items():
			if name.isupper() and isinstance(value, str):
				with self.subTest(constant=name):
					self.assertIn(value, states | actions | roles)
		self.assertEqual(set(wf.STATE_STYLES), states)

		used_states = {
			*(getattr(dispute_case, n) for n in ("REPORTED", "ON_SITE", "JOINT_HANDLING", "ESCALATED")),
			*(getattr(dispute_case, n) for n in ("AGREEMENT_REACHED", "REFERRED", "FOLLOW_UP", "CLOSED")),
			*dispute_case.MEDIATING_STATES,
			*party_member_household.OPEN_STATES,
			party_member_household.DESIGNATED,
			party_member_household.WITHDRAWN,
			*redemption.HELD_STATES,
			redemption.ISSUED,
			redemption.REDEEMED,
			redemption.EXPIRED,
		}
		self.assertLessEqual(used_states, states)

	def test_make_workflows_keeps_changes(self):
		"""Creating what is missing never overwrites a workflow a manager changed."""
		doc = frappe.get_doc("Workflow", wf.POINTS_REDEMPTION.name)
		row = next(r for r in doc.states if r.state == wf.REQUESTED)
		row.allow_edit = wf.MANAGER
		doc.save(ignore_permissions=True)
		frappe.delete_doc("Station Service", STANDARD_STATION_SERVICES[0], force=True)

		wf.make_workflows()
		from wangge_app.party_building.install import make_standard_station_services

		make_standard_station_services()

		_, states, _ = site_rows(wf.POINTS_REDEMPTION.name)
		self.assertIn((wf.REQUESTED, "0", wf.MANAGER, None, None), states)
		self.assertNotIn((wf.REQUESTED, "0", wf.GRID_WORKER, None, None), states)
		self.assertTrue(frappe.db.exists("Station Service", STANDARD_STATION_SERVICES[0]))

	def tearDown(self):
		frappe.db.rollback()
		frappe.clear_cache()
