# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from wangge_app import workflows as wf
from wangge_app.alerts import MISSED_DUE_TIME_ALERTS, make_missed_due_time_notification
from wangge_app.safety.install import STOCK_TEMPLATES, make_stock_inspection_templates
from wangge_app.site_setup import TEST_SYSTEM_MANAGER
from wangge_app.tests.test_customizations_survive_migrate import run_migrate

GAS = "燃气安全检查表"
FOOD = "食品药品安全检查表"
PRODUCTION = "生产安全检查表"
RENAMED = "生产经营安全检查表（测试）"
ADDED_ITEM = "燃气表及表前阀（测试）"


class TestStockTemplatesSurviveMigrate(FrappeTestCase):
	"""The stock checklists ship with the app; what a manager changes in them stays after `migrate`."""

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		# The changes were committed before migrating: undo them.
		if frappe.db.exists("Inspection Template", RENAMED):
			frappe.rename_doc("Inspection Template", RENAMED, PRODUCTION, force=True)
		for name in (GAS, FOOD):
			frappe.delete_doc_if_exists("Inspection Template", name, force=True)
		make_stock_inspection_templates()
		frappe.delete_doc_if_exists("Workflow", wf.SAFETY_HAZARD_WORKFLOW.name)
		wf.make_workflows()
		frappe.delete_doc_if_exists("Notification", MISSED_DUE_TIME_ALERTS["Safety Hazard"].notification)
		make_missed_due_time_notification("Safety Hazard")
		frappe.db.commit()

	def test_stock_checklists_are_installed(self):
		for name, (category, items) in STOCK_TEMPLATES.items():
			template = frappe.get_doc("Inspection Template", name)
			self.assertEqual(template.category, category)
			self.assertEqual([row.item for row in template.items], [item for item, _how, _risk in items])
		self.assertEqual(
			{template[0] for template in STOCK_TEMPLATES.values()},
			{"Gas", "Fire", "Food and Drugs", "Production Safety"},
		)

	def test_manager_changes_survive_migrate(self):
		frappe.set_user(TEST_SYSTEM_MANAGER)
		gas = frappe.get_doc("Inspection Template", GAS)
		gas.items[0].guidance = "金属波纹管；橡胶软管一律更换（测试）"
		gas.append("items", {"item": ADDED_ITEM, "risk_level": "Significant"})
		gas.save()
		frappe.db.set_value("Inspection Template", FOOD, "is_active", 0)
		frappe.rename_doc("Inspection Template", PRODUCTION, RENAMED)
		workflow = frappe.get_doc("Workflow", wf.SAFETY_HAZARD_WORKFLOW.name)
		workflow.append(
			"transitions",
			{
				"state": wf.REGISTERED,
				"action": wf.REFER_TO_DEPARTMENT,
				"next_state": wf.REFERRED_TO_DEPARTMENT,
				"allowed": wf.MANAGER,
				"allow_self_approval": 1,
			},
		)
		workflow.save()
		frappe.db.set_value(
			"Notification",
			MISSED_DUE_TIME_ALERTS["Safety Hazard"].notification,
			"subject",
			"隐患逾期（测试）",
		)
		frappe.db.commit()

		migrate = run_migrate()
		self.assertEqual(migrate.returncode, 0, migrate.stdout[-2000:] + migrate.stderr[-2000:])
		frappe.clear_cache()

		gas = frappe.get_doc("Inspection Template", GAS)
		self.assertEqual(gas.items[0].guidance, "金属波纹管；橡胶软管一律更换（测试）")
		self.assertEqual(gas.items[-1].item, ADDED_ITEM)
		self.assertEqual(frappe.db.get_value("Inspection Template", FOOD, "is_active"), 0)
		self.assertTrue(frappe.db.exists("Inspection Template", RENAMED))
		self.assertFalse(frappe.db.exists("Inspection Template", PRODUCTION))
		transitions = {
			(row.state, row.action, row.allowed)
			for row in frappe.get_doc("Workflow", wf.SAFETY_HAZARD_WORKFLOW.name).transitions
		}
		self.assertIn((wf.REGISTERED, wf.REFER_TO_DEPARTMENT, wf.MANAGER), transitions)
		self.assertEqual(
			frappe.db.get_value(
				"Notification", MISSED_DUE_TIME_ALERTS["Safety Hazard"].notification, "subject"
			),
			"隐患逾期（测试）",
		)

	def test_the_patch_creates_only_what_is_missing(self):
		from wangge_app.patches.v1 import make_safety_install_data

		frappe.db.set_value(
			"Inspection Template Item", {"parent": GAS, "idx": 1}, "guidance", "改过的检查方法"
		)
		frappe.delete_doc("Inspection Template", FOOD, force=True)
		make_safety_install_data.execute()
		self.assertTrue(frappe.db.exists("Inspection Template", FOOD))
		self.assertEqual(
			frappe.db.get_value("Inspection Template Item", {"parent": GAS, "idx": 1}, "guidance"),
			"改过的检查方法",
		)
