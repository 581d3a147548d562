# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The one overdue job over every case DocType with due times, and their alerts."""

import frappe
from frappe.model.base_document import get_controller
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, now_datetime

from wangge_app.alerts import MISSED_DUE_TIME_ALERTS
from wangge_app.cases import CASES_WITH_DUE_TIMES, GridCase
from wangge_app.mediation.doctype.dispute_case.test_dispute_case import make_dispute_case
from wangge_app.overdue import mark_missed_due_times_of_all_cases
from wangge_app.resident_services.test_utils import make_request
from wangge_app.safety.test_utils import make_hazard
from wangge_app.test_utils import make_community_tree, make_household, make_user

WORKER = "overdue-worker@example.com"


class TestOverdueJob(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(WORKER, ["Grid Worker"])
		_, cls.grid, cls.micro_grid = make_community_tree(workers=[WORKER])
		cls.household = make_household(cls.micro_grid.name)

	def test_one_job_every_ten_minutes_checks_every_case_with_due_times(self):
		job = frappe.db.get_value(
			"Scheduled Job Type",
			{"method": "wangge_app.overdue.mark_missed_due_times_of_all_cases"},
			["frequency", "cron_format"],
			as_dict=True,
		)
		self.assertEqual((job.frequency, job.cron_format), ("Cron", "*/10 * * * *"))
		self.assertFalse(
			frappe.db.exists("Scheduled Job Type", {"method": ("like", "%mark_overdue%")}),
			"the per-module jobs are gone",
		)
		case = make_dispute_case(self.grid.name, discovered_at=add_to_date(None, hours=-3))
		request = make_request(self.grid.name, received_at=add_to_date(None, days=-2))
		hazard = make_hazard(self.household.name)
		# After the hazard's deadline (days away), when all three have missed a due time.
		later = add_to_date(frappe.utils.get_datetime(hazard.rectification_due_by), hours=1)
		found = mark_missed_due_times_of_all_cases(later)
		self.assertIn((case.name, "Arrival on Site"), found)
		self.assertIn((request.name, "Contact the Resident"), found)
		self.assertIn((hazard.name, "Rectification"), found)
		self.assertEqual(mark_missed_due_times_of_all_cases(later), [], "a miss is alerted once")

	def test_the_job_runs_on_the_current_time_by_default(self):
		case = make_dispute_case(self.grid.name, discovered_at=add_to_date(now_datetime(), hours=-3))
		self.assertIn((case.name, "Arrival on Site"), mark_missed_due_times_of_all_cases())

	def test_each_case_with_due_times_declares_them_and_has_its_alert(self):
		self.assertEqual(set(MISSED_DUE_TIME_ALERTS), set(CASES_WITH_DUE_TIMES))
		for doctype in CASES_WITH_DUE_TIMES:
			controller = get_controller(doctype)
			self.assertTrue(issubclass(controller, GridCase), doctype)
			self.assertTrue(controller.due_targets and controller.closed_states, doctype)
			notification = frappe.get_doc("Notification", MISSED_DUE_TIME_ALERTS[doctype].notification)
			self.assertEqual(
				(notification.document_type, notification.event, notification.method),
				(doctype, "Method", "on_missed_due_time"),
			)
