# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import subprocess
import sys

import frappe
from frappe.tests.utils import FrappeTestCase

from wangge_app import workflows as wf
from wangge_app.party_building.install import STANDARD_STATION_SERVICES
from wangge_app.site_setup import TEST_SYSTEM_MANAGER

STATION = "Party Mass Service Station"
RENAMED_SERVICE = "阅读角（测试）"
CUSTOM_FIELD = f"{STATION}-custom_volunteer_count"


def run_migrate():
	"""`bench migrate` on the test site, as dev/common.sh's frappe_cli runs it."""
	return subprocess.run(
		[sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "--site", frappe.local.site, "migrate"],
		cwd=frappe.local.sites_path,
		capture_output=True,
		text=True,
	)


class TestCustomizationsSurviveMigrate(FrappeTestCase):
	"""What a manager changes in the desk stays after an update (`migrate`)."""

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		# The customisations were committed before migrating: undo them.
		frappe.delete_doc_if_exists("Workflow", wf.DISPUTE_CASE_WORKFLOW.name)
		frappe.delete_doc_if_exists("Workflow", wf.POINTS_REDEMPTION.name)
		wf.make_workflows()
		if frappe.db.exists("Station Service", RENAMED_SERVICE):
			frappe.rename_doc("Station Service", RENAMED_SERVICE, "Reading", force=True)
		frappe.delete_doc_if_exists("Custom Field", CUSTOM_FIELD)
		for name in frappe.get_all("Property Setter", {"doc_type": STATION}, pluck="name"):
			frappe.delete_doc("Property Setter", name)
		frappe.clear_cache()
		frappe.db.commit()

	def test_manager_changes_survive_migrate(self):
		frappe.set_user(TEST_SYSTEM_MANAGER)

		# A transition added to a shipped workflow, and another role to edit one of its states.
		dispute = frappe.get_doc("Workflow", wf.DISPUTE_CASE_WORKFLOW.name)
		dispute.append(
			"transitions",
			{
				"state": wf.REPORTED,
				"action": wf.CLOSE_CASE,
				"next_state": wf.CASE_CLOSED,
				"allowed": wf.MEDIATOR,
				"allow_self_approval": 1,
			},
		)
		dispute.save()
		redemption = frappe.get_doc("Workflow", wf.POINTS_REDEMPTION.name)
		next(r for r in redemption.states if r.state == wf.REQUESTED).allow_edit = wf.MANAGER
		redemption.save()

		# A stock station service renamed.
		self.assertIn("Reading", STANDARD_STATION_SERVICES)
		frappe.rename_doc("Station Service", "Reading", RENAMED_SERVICE)

		# Customize Form: a new field, another label, a field made mandatory.
		customize = frappe.get_doc("Customize Form")
		customize.doc_type = STATION
		customize.fetch_to_customize()
		customize.append(
			"fields",
			{
				"label": "Volunteer Count",
				"fieldtype": "Int",
				"insert_after": "phone",
				"is_custom_field": 1,
			},
		)
		next(f for f in customize.fields if f.fieldname == "opening_hours").label = "服务时间"
		next(f for f in customize.fields if f.fieldname == "phone").reqd = 1
		customize.save_customization()
		frappe.db.commit()

		migrate = run_migrate()
		self.assertEqual(migrate.returncode, 0, migrate.stdout[-2000:] + migrate.stderr[-2000:])
		frappe.clear_cache()

		transitions = {
			(r.state, r.action, r.next_state, r.allowed)
			for r in frappe.get_doc("Workflow", wf.DISPUTE_CASE_WORKFLOW.name).transitions
		}
		self.assertIn((wf.REPORTED, wf.CLOSE_CASE, wf.CASE_CLOSED, wf.MEDIATOR), transitions)
		requested = [
			r.allow_edit
			for r in frappe.get_doc("Workflow", wf.POINTS_REDEMPTION.name).states
			if r.state == wf.REQUESTED
		]
		self.assertEqual(requested, [wf.MANAGER])

		self.assertTrue(frappe.db.exists("Station Service", RENAMED_SERVICE))
		self.assertFalse(frappe.db.exists("Station Service", "Reading"))

		meta = frappe.get_meta(STATION)
		self.assertEqual(meta.get_field("custom_volunteer_count").fieldtype, "Int")
		self.assertEqual(meta.get_field("opening_hours").label, "服务时间")
		self.assertTrue(meta.get_field("phone").reqd)
