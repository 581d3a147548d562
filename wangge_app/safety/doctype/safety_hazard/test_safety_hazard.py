# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import datetime

import frappe
from frappe.model.workflow import WorkflowTransitionError
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, get_datetime, getdate

from wangge_app import workflows as wf
from wangge_app.alerts import MISSED_DUE_TIME_ALERTS
from wangge_app.safety.test_utils import FIVE_IMPLEMENTATIONS, add_check, make_hazard, make_photo
from wangge_app.test_utils import (
	alert_subjects,
	apply_workflow_as,
	make_community_tree,
	make_household,
	make_partner_department,
	make_user,
	missed_due_times,
	pdf_text,
	render_pdf,
	scope_user_to_grid,
)
from wangge_app.utils.due_times import change_due_input

WORKER = "sh-worker@example.com"
MANAGER = "sh-manager@example.com"
NOTICE = "Safety Hazard Rectification Notice"


def five(deadline: datetime.date | None = None) -> dict:
	"""The 五落实, with the deadline given (else the one the risk level set)."""
	return {**FIVE_IMPLEMENTATIONS, **({"rectification_deadline": deadline} if deadline else {})}


class SafetyHazardTestCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(WORKER, ["Grid Worker"], first_name="卓玛")
		make_user(MANAGER, ["Community Manager"], first_name="次仁")
		frappe.db.set_value("Notification Settings", WORKER, "enable_email_notifications", 0)
		cls.community, cls.grid, cls.micro_grid = make_community_tree(workers=[WORKER])
		scope_user_to_grid(MANAGER, cls.community.name)
		cls.household = make_household(cls.micro_grid.name, building="2", unit="1", room="301")
		cls.photo = make_photo("corrugated-pipe.png")

	def setUp(self):
		frappe.set_user(WORKER)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.flags.current_date = None

	def state(self, hazard) -> str:
		return frappe.db.get_value("Safety Hazard", hazard.name, "workflow_state")


class TestSafetyHazard(SafetyHazardTestCase):
	def test_deadline_follows_the_risk_level_and_the_settings(self):
		today = getdate()
		deadlines = {
			level: make_hazard(self.household.name, risk_level=level).rectification_deadline
			for level in ("General", "Significant", "Major")
		}
		self.assertEqual(
			{level: getdate(day) for level, day in deadlines.items()},
			{"General": add_days(today, 7), "Significant": add_days(today, 15), "Major": add_days(today, 30)},
		)
		found = add_days(today, -2)
		hazard = make_hazard(self.household.name, risk_level="General", found_on=found)
		self.assertEqual(getdate(hazard.rectification_deadline), add_days(found, 7))
		# Due at the end of the deadline's day.
		self.assertEqual(
			get_datetime(hazard.rectification_due_by),
			datetime.datetime.combine(add_days(found, 8), datetime.time()),
		)

		frappe.set_user("Administrator")
		self.addCleanup(frappe.db.set_single_value, "Safety Settings", "major_deadline_days", 30)
		settings = frappe.get_single("Safety Settings")
		settings.major_deadline_days = 10
		settings.save()
		frappe.set_user(WORKER)
		major = make_hazard(self.household.name, risk_level="Major")
		self.assertEqual(getdate(major.rectification_deadline), add_days(today, 10))

		frappe.set_user("Administrator")
		settings.major_deadline_days = 0
		with self.assertRaisesRegex(frappe.ValidationError, "at least one day"):
			settings.save()

	def test_bad_input_is_refused_and_nothing_saved(self):
		count = frappe.db.count("Safety Hazard")
		with self.assertRaisesRegex(frappe.ValidationError, "is in the past"):
			make_hazard(self.household.name, rectification_deadline=add_days(getdate(), -1))
		with self.assertRaisesRegex(frappe.ValidationError, "cannot be in the future"):
			make_hazard(self.household.name, found_on=add_days(getdate(), 1))
		self.assertEqual(frappe.db.count("Safety Hazard"), count)

		hazard = make_hazard(self.household.name)
		doc = frappe.get_doc("Safety Hazard", hazard.name)
		doc.rectification_deadline = add_days(getdate(), -3)
		with self.assertRaisesRegex(frappe.ValidationError, "is in the past"):
			doc.save()
		self.assertEqual(
			getdate(frappe.db.get_value("Safety Hazard", hazard.name, "rectification_deadline")),
			getdate(hazard.rectification_deadline),
		)

	def test_no_notice_without_the_five_implementations(self):
		hazard = make_hazard(self.household.name)
		self.assertEqual(hazard.workflow_state, wf.REGISTERED)
		with self.assertRaisesRegex(frappe.ValidationError, "五落实"):
			apply_workflow_as(WORKER, hazard, wf.ISSUE_NOTICE)
		partial = {key: value for key, value in FIVE_IMPLEMENTATIONS.items() if key != "funds"}
		with self.assertRaisesRegex(frappe.ValidationError, "Rectification Funds"):
			apply_workflow_as(WORKER, hazard, wf.ISSUE_NOTICE, **partial)
		self.assertEqual(self.state(hazard), wf.REGISTERED)

		hazard = apply_workflow_as(WORKER, hazard, wf.ISSUE_NOTICE, **five())
		self.assertEqual(
			(hazard.workflow_state, getdate(hazard.notice_issued_on)), (wf.NOTICE_ISSUED, getdate())
		)

	def test_closed_only_after_a_passed_acceptance_check(self):
		hazard = make_hazard(self.household.name)
		apply_workflow_as(WORKER, hazard, wf.ISSUE_NOTICE, **five())
		# No closing, and no re-inspection, straight from a notice.
		with self.assertRaises(WorkflowTransitionError):
			apply_workflow_as(WORKER, hazard, wf.CLOSE_HAZARD)
		apply_workflow_as(WORKER, hazard, wf.START_RECTIFICATION)
		with self.assertRaises(WorkflowTransitionError):
			apply_workflow_as(WORKER, hazard, wf.CLOSE_HAZARD)
		with self.assertRaisesRegex(frappe.ValidationError, "Record the acceptance check first"):
			apply_workflow_as(WORKER, hazard, wf.RECORD_REINSPECTION)

		# A check needs its result photo; a failed one a written explanation.
		with self.assertRaisesRegex(frappe.ValidationError, "attach a photo of the result"):
			add_check(hazard, "Passed", None, WORKER)
		with self.assertRaisesRegex(frappe.ValidationError, "written explanation"):
			add_check(hazard, "Failed", self.photo, WORKER)
		self.assertEqual(frappe.db.count("Safety Hazard Check", {"parent": hazard.name}), 0)

		add_check(hazard, "Failed", self.photo, WORKER, explanation="只更换了软管，自闭阀未安装。")
		# A recorded check stays as it was recorded.
		frappe.set_user(WORKER)
		doc = frappe.get_doc("Safety Hazard", hazard.name)
		doc.acceptance_checks[0].result = "Passed"
		with self.assertRaisesRegex(frappe.ValidationError, "cannot be changed"):
			doc.save()
		frappe.set_user("Administrator")
		apply_workflow_as(WORKER, hazard, wf.RECORD_REINSPECTION)
		with self.assertRaisesRegex(frappe.ValidationError, "only after an acceptance check has passed"):
			apply_workflow_as(WORKER, hazard, wf.CLOSE_HAZARD)
		self.assertEqual(self.state(hazard), wf.REINSPECTED)

		# The failed check keeps it open: back to rectifying, then a passed check closes it.
		apply_workflow_as(WORKER, hazard, wf.CONTINUE_RECTIFICATION)
		with self.assertRaisesRegex(frappe.ValidationError, "Record the acceptance check first"):
			apply_workflow_as(WORKER, hazard, wf.RECORD_REINSPECTION)
		add_check(hazard, "Passed", self.photo, WORKER)
		apply_workflow_as(WORKER, hazard, wf.RECORD_REINSPECTION)
		closed = apply_workflow_as(WORKER, hazard, wf.CLOSE_HAZARD)
		self.assertEqual(
			(closed.workflow_state, getdate(closed.closed_on), bool(closed.rectified_at)),
			(wf.HAZARD_CLOSED, getdate(), True),
		)
		self.assertEqual([row.checked_by for row in closed.acceptance_checks], [WORKER, WORKER])
		self.assertFalse(
			frappe.db.exists("ToDo", {"reference_name": hazard.name, "status": "Open"}),
			"the worker's assignment ends with the closure",
		)
		# Closed hazards are the community's to change.
		frappe.set_user(WORKER)
		doc = frappe.get_doc("Safety Hazard", hazard.name)
		doc.measures = "改写"
		with self.assertRaises(frappe.PermissionError):
			doc.save()

	def test_ignored_notice_gets_a_second_notice_then_a_referral(self):
		hazard = make_hazard(self.household.name, risk_level="General")
		apply_workflow_as(WORKER, hazard, wf.ISSUE_NOTICE, **five())
		with self.assertRaises(WorkflowTransitionError):
			apply_workflow_as(WORKER, hazard, wf.REFER_TO_DEPARTMENT)

		hazard = apply_workflow_as(WORKER, hazard, wf.ISSUE_SECOND_NOTICE)
		self.assertEqual(
			(hazard.workflow_state, getdate(hazard.second_notice_on)), (wf.SECOND_NOTICE_ISSUED, getdate())
		)
		with self.assertRaisesRegex(frappe.ValidationError, "Choose the department"):
			apply_workflow_as(WORKER, hazard, wf.REFER_TO_DEPARTMENT)

		frappe.set_user("Administrator")
		department = make_partner_department("城关区消防救援大队", "Fire and Rescue")
		hazard = apply_workflow_as(WORKER, hazard, wf.REFER_TO_DEPARTMENT, referred_to=department.name)
		self.assertEqual(
			(hazard.workflow_state, hazard.referred_to, getdate(hazard.referred_on)),
			(wf.REFERRED_TO_DEPARTMENT, department.name, getdate()),
		)


class TestOverdueHazards(SafetyHazardTestCase):
	def test_a_missed_deadline_is_alerted_once_and_a_new_deadline_again(self):
		self.assertTrue(
			frappe.db.exists("Notification", MISSED_DUE_TIME_ALERTS["Safety Hazard"].notification)
		)
		hazard = apply_workflow_as(
			WORKER, make_hazard(self.household.name, risk_level="General"), wf.ISSUE_NOTICE, **five()
		)
		deadline = getdate(hazard.rectification_deadline)
		end_of_deadline = datetime.datetime.combine(add_days(deadline, 1), datetime.time())

		self.assertEqual(missed_due_times(hazard, end_of_deadline - datetime.timedelta(minutes=1)), [])
		self.assertEqual(
			missed_due_times(hazard, end_of_deadline + datetime.timedelta(hours=1)), ["Rectification"]
		)
		self.assertEqual(missed_due_times(hazard, end_of_deadline + datetime.timedelta(days=2)), [])
		self.assertEqual(len(alert_subjects(hazard, WORKER)), 1)
		self.assertIn(hazard.name, alert_subjects(hazard, WORKER)[0])
		self.assertTrue(frappe.db.get_value("Safety Hazard", hazard.name, "is_overdue"))

		# Two days after the deadline: the overdue hazard stays open, and its next step needs a
		# written explanation and a new deadline.
		frappe.flags.current_date = add_days(deadline, 2)
		with self.assertRaisesRegex(frappe.ValidationError, "Why the Deadline Was Missed"):
			apply_workflow_as(WORKER, hazard, wf.ISSUE_SECOND_NOTICE)
		with self.assertRaisesRegex(frappe.ValidationError, "sets the notice's new deadline"):
			apply_workflow_as(
				WORKER, hazard, wf.ISSUE_SECOND_NOTICE, delay_explanation="住户外出务工，未能按期整改。"
			)
		# The grid worker cannot move the deadline; the community manager does, with a reason.
		new_deadline = add_days(deadline, 5)
		with self.assertRaisesRegex(frappe.ValidationError, "fixed once registered"):
			apply_workflow_as(WORKER, hazard, wf.ISSUE_SECOND_NOTICE, rectification_deadline=new_deadline)
		frappe.set_user(MANAGER)
		change_due_input(
			"Safety Hazard", hazard.name, "rectification_deadline", str(new_deadline), "住户申请延期五天。"
		)
		hazard = apply_workflow_as(WORKER, hazard, wf.ISSUE_SECOND_NOTICE)
		self.assertEqual(hazard.workflow_state, wf.SECOND_NOTICE_ISSUED)
		self.assertEqual(getdate(hazard.rectification_deadline), new_deadline)
		# The missed deadline stays on the record.
		self.assertTrue(hazard.is_overdue)
		frappe.flags.current_date = None

		# The second notice's deadline is missed too: one more alert.
		new_end = datetime.datetime.combine(add_days(new_deadline, 1), datetime.time())
		self.assertEqual(missed_due_times(hazard, new_end - datetime.timedelta(hours=1)), [])
		self.assertEqual(missed_due_times(hazard, new_end + datetime.timedelta(hours=1)), ["Rectification"])
		self.assertEqual(missed_due_times(hazard, new_end + datetime.timedelta(days=1)), [])
		self.assertEqual(len(alert_subjects(hazard, WORKER)), 2)

	def test_closed_and_referred_hazards_are_not_checked(self):
		hazard = make_hazard(self.household.name)
		frappe.db.set_value("Safety Hazard", hazard.name, "workflow_state", wf.HAZARD_CLOSED)
		self.assertEqual(missed_due_times(hazard, add_days(hazard.rectification_due_by, 10)), [])
		self.assertEqual(frappe.db.get_value("Safety Hazard", hazard.name, "is_overdue"), 0)


class TestRectificationNotice(SafetyHazardTestCase):
	def test_notice_prints_items_measures_and_deadline_escaped(self):
		hazard = make_hazard(
			self.household.name,
			hazard_title="燃气软管老化",
			description="橡胶软管龟裂，接口处漏气。",
			rectification_deadline=add_days(getdate(), 10),
		)
		hazard = apply_workflow_as(WORKER, hazard, wf.ISSUE_NOTICE, **five())
		frappe.set_user(WORKER)
		deadline = frappe.utils.formatdate(hazard.rectification_deadline, "yyyy年MM月dd日")
		# What a person typed prints as text: the print is handed the document with markup in it, as
		# the print view does (Frappe's save would have escaped it already).
		doc = frappe.get_doc("Safety Hazard", hazard.name)
		doc.funds = "约200元<script>alert(1)</script>"
		doc.responsible_party = "<img src=x onerror=alert(2)>"
		html = frappe.get_print("Safety Hazard", hazard.name, NOTICE, doc=doc)
		for expected in (
			"安全隐患整改通知书",
			"燃气软管老化",
			FIVE_IMPLEMENTATIONS["measures"],
			deadline,
			"较大",
		):
			self.assertIn(expected, html)
		self.assertIn("约200元&lt;script&gt;alert(1)&lt;/script&gt;", html)
		self.assertIn("&lt;img src=x onerror=alert(2)&gt;", html)
		self.assertNotIn("<script>alert", html)
		self.assertNotIn("<img src=x", html)
		self.assertNotIn("第二次通知", html)

		text = pdf_text(render_pdf("Safety Hazard", hazard.name, NOTICE))
		for expected in (
			"安全隐患整改通知书",
			"燃气软管老化",
			"将老化橡胶软管更换为金属波纹管，加装燃气自闭阀。",
			f"{deadline}前整改完毕",
			"较大",
			"燃气",
			FIVE_IMPLEMENTATIONS["responsible_party"],
		):
			self.assertIn("".join(expected.split()), text)

		second = apply_workflow_as(WORKER, hazard, wf.ISSUE_SECOND_NOTICE)
		self.assertIn("第二次通知", frappe.get_print("Safety Hazard", second.name, NOTICE))
