# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""What sets a registered record's time limits is fixed (wangge_app/utils/due_times.py DUE_INPUTS):
only the community manager's `change_due_input`, with a reason, changes it, and the record keeps the
old and the new value; a missed time stays marked. Document numbers are never reused
(wangge_app/naming.py)."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_to_date, get_datetime, getdate, now_datetime

from wangge_app import workflows as wf
from wangge_app.resident_services.test_utils import make_request
from wangge_app.safety.test_utils import FIVE_IMPLEMENTATIONS, make_hazard
from wangge_app.test_utils import (
	apply_workflow_as,
	make_community_tree,
	make_household,
	make_user,
	scope_user_to_grid,
)
from wangge_app.utils.due_times import DUE_INPUTS, change_due_input

WORKER = "limits-worker@example.com"
MANAGER = "limits-manager@example.com"
FIXED = "fixed once registered"


class TimeLimitsTestCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(WORKER, ["Grid Worker"], first_name="边巴")
		make_user(MANAGER, ["Community Manager"], first_name="次仁")
		for user in (WORKER, MANAGER):
			frappe.db.set_value("Notification Settings", user, "enable_email_notifications", 0)
		cls.community, cls.grid, cls.micro_grid = make_community_tree(workers=[WORKER])
		scope_user_to_grid(MANAGER, cls.community.name)
		cls.household = make_household(cls.micro_grid.name)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.flags.current_date = None

	def save_as(self, user: str, doctype: str, name: str, **changes):
		frappe.set_user(user)
		doc = frappe.get_doc(doctype, name)
		doc.update(changes)
		return doc.save()

	def comments(self, doctype: str, name: str) -> list[str]:
		return frappe.get_all(
			"Comment",
			{"reference_doctype": doctype, "reference_name": name, "comment_type": "Info"},
			pluck="content",
		)


class TestRequestTimeLimits(TimeLimitsTestCase):
	def test_the_declared_fields_exist(self):
		for doctype, inputs in DUE_INPUTS.items():
			meta = frappe.get_meta(doctype)
			for fieldname in inputs.fields:
				self.assertTrue(meta.has_field(fieldname), (doctype, fieldname))
			states = set(frappe.get_all("Workflow State", pluck="name"))
			self.assertLessEqual(set(inputs.open_in_states), states, doctype)

	def test_grade_and_receipt_are_fixed_for_staff_saves(self):
		request = make_request(self.grid.name, grade="Emergency")
		due = get_datetime(request.resolve_due_by)
		for user in (WORKER, MANAGER, "Administrator"):
			for changes in (
				{"grade": "Complex"},
				{"received_at": add_to_date(request.received_at, hours=-5)},
			):
				with self.assertRaisesRegex(frappe.ValidationError, FIXED):
					self.save_as(user, "Resident Request", request.name, **changes)
		frappe.set_user("Administrator")
		stored = frappe.get_doc("Resident Request", request.name)
		self.assertEqual((stored.grade, get_datetime(stored.resolve_due_by)), ("Emergency", due))
		# A save that leaves them as they are still works.
		self.save_as(WORKER, "Resident Request", request.name, subject="3栋楼道灯坏了")

	def test_the_manager_changes_the_grade_with_a_reason(self):
		request = make_request(self.grid.name, grade="Emergency")
		due = get_datetime(request.resolve_due_by)
		frappe.set_user(WORKER)
		with self.assertRaises(frappe.PermissionError):
			change_due_input("Resident Request", request.name, "grade", "Complex", "升级处理")
		frappe.set_user(MANAGER)
		for reason in ("", "  ", "<b></b>"):
			with self.assertRaisesRegex(frappe.ValidationError, "why the time limit changes"):
				change_due_input("Resident Request", request.name, "grade", "Complex", reason)
		with self.assertRaisesRegex(frappe.ValidationError, "does not set a time limit"):
			change_due_input("Resident Request", request.name, "subject", "x", "改标题")
		for field, value in (("received_at", "不是时间"), ("received_at", "2026-13-45 25:00"), ("grade", "")):
			with self.assertRaisesRegex(frappe.ValidationError, "not a valid value|Give the new value"):
				change_due_input("Resident Request", request.name, field, value, "改正")
		with self.assertRaisesRegex(frappe.ValidationError, "same as the current"):
			change_due_input("Resident Request", request.name, "grade", "Emergency", "不变")
		change_due_input("Resident Request", request.name, "grade", "Complex", "需协调水&电 <b>加急</b>")

		frappe.set_user("Administrator")
		stored = frappe.get_doc("Resident Request", request.name)
		self.assertEqual(stored.grade, "Complex")
		self.assertGreater(get_datetime(stored.resolve_due_by), due)
		(comment,) = self.comments("Resident Request", request.name)
		self.assertIn("需协调水&amp;电 加急", comment)
		self.assertNotIn("<b>", comment)
		self.assertIn("Emergency", comment)
		self.assertIn("Complex", comment)

	def test_receipt_cannot_lie_ahead(self):
		count = frappe.db.count("Resident Request")
		frappe.set_user(WORKER)
		with self.assertRaisesRegex(frappe.ValidationError, "cannot be in the future"):
			make_request(self.grid.name, received_at=add_to_date(now_datetime(), days=10))
		self.assertEqual(frappe.db.count("Resident Request"), count)
		# A phone's clock a few minutes ahead counts as now.
		request = make_request(self.grid.name, received_at=add_to_date(now_datetime(), minutes=3))
		self.assertLessEqual(get_datetime(request.received_at), now_datetime())
		frappe.set_user(MANAGER)
		with self.assertRaisesRegex(frappe.ValidationError, "cannot be in the future"):
			change_due_input(
				"Resident Request",
				request.name,
				"received_at",
				str(add_to_date(now_datetime(), days=10)),
				"补录",
			)


class TestHazardDeadline(TimeLimitsTestCase):
	def test_the_deadline_is_a_draft_until_the_notice(self):
		hazard = make_hazard(self.household.name)
		later = add_days(getdate(hazard.rectification_deadline), 2)
		self.save_as(WORKER, "Safety Hazard", hazard.name, rectification_deadline=later)
		hazard = apply_workflow_as(WORKER, hazard, wf.ISSUE_NOTICE, **FIVE_IMPLEMENTATIONS)
		self.assertEqual(getdate(hazard.rectification_deadline), later)
		with self.assertRaisesRegex(frappe.ValidationError, FIXED):
			self.save_as(WORKER, "Safety Hazard", hazard.name, rectification_deadline=add_days(later, 7))

	def test_a_missed_deadline_stays_marked_when_the_manager_extends_it(self):
		found = add_days(getdate(), -20)
		frappe.flags.current_date = found
		hazard = make_hazard(self.household.name, found_on=found)
		hazard = apply_workflow_as(WORKER, hazard, wf.ISSUE_NOTICE, **FIVE_IMPLEMENTATIONS)
		frappe.flags.current_date = None
		# As the overdue job marks it.
		frappe.get_doc("Safety Hazard", hazard.name).db_set(
			{"rectification_missed": 1, "is_overdue": 1}, update_modified=False
		)

		with self.assertRaisesRegex(frappe.ValidationError, FIXED):
			self.save_as(WORKER, "Safety Hazard", hazard.name, rectification_deadline=add_days(getdate(), 5))
		frappe.set_user(MANAGER)
		change_due_input(
			"Safety Hazard", hazard.name, "rectification_deadline", str(add_days(getdate(), 5)), "住户外出"
		)
		frappe.set_user("Administrator")
		stored = frappe.get_doc("Safety Hazard", hazard.name)
		self.assertEqual(getdate(stored.rectification_deadline), add_days(getdate(), 5))
		# The miss stays on record; the new deadline may be alerted once more.
		self.assertEqual((stored.is_overdue, stored.rectification_missed), (1, 0))
		with self.assertRaisesRegex(frappe.ValidationError, "Why the Deadline Was Missed"):
			apply_workflow_as(WORKER, hazard, wf.ISSUE_SECOND_NOTICE)
		self.assertEqual(len(self.comments("Safety Hazard", hazard.name)), 1)


class TestNumbersAreNotReused(TimeLimitsTestCase):
	def test_a_deleted_records_number_is_not_given_again(self):
		for make in (lambda: make_hazard(self.household.name), lambda: make_request(self.grid.name)):
			first = make()
			doctype, name = first.doctype, first.name
			frappe.set_user("Administrator")
			frappe.delete_doc(doctype, name)
			self.assertFalse(frappe.db.exists(doctype, name))
			second = make()
			self.assertNotEqual(second.name, name, doctype)
