# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import datetime

import frappe
from frappe.tests.utils import FrappeTestCase

from wangge_app.volunteer import points
from wangge_app.volunteer.test_utils import make_activity, make_adjustment, make_party_member, make_work_unit

ENTRY = "Volunteer Points Entry"
MEMBER = "In-service Party Member"


class TestVolunteerActivity(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		work_unit = make_work_unit()
		cls.alice = make_party_member(work_unit.name, full_name="央金").name
		cls.bob = make_party_member(work_unit.name, full_name="旦增多吉").name
		cls.carol = make_party_member(work_unit.name, full_name="王芳").name

	def ledger(self, activity: str) -> list:
		return frappe.get_all(
			ENTRY,
			{"voucher_type": "Volunteer Activity", "voucher_no": activity},
			["member", "points", "entry_type", "reversal_of", "posting_date"],
			order_by="creation, member",
		)

	def totals(self, member: str) -> tuple[int, int]:
		return tuple(frappe.db.get_value(MEMBER, member, ["points_balance", "activity_count"]))

	def test_submit_awards_each_attendee_and_cancel_reverses_exactly(self):
		before = {member: self.totals(member) for member in (self.alice, self.bob, self.carol)}
		activity = frappe.get_doc(
			{
				"doctype": "Volunteer Activity",
				"title": "交通文明劝导",
				"service_type": "交通疏导",
				"start_time": datetime.datetime(2025, 5, 10, 8, 0),
				"end_time": datetime.datetime(2025, 5, 10, 11, 0),
				"participants": [
					{"member": self.alice, "attended": 1, "hours": 3},
					{"member": self.bob, "attended": 1, "hours": 2.5},
					{"member": self.carol, "attended": 0, "notes": "请假"},
				],
			}
		).insert()
		# The points default to the service type's.
		self.assertEqual(activity.points_per_participant, 2)
		self.assertEqual(activity.attendee_count, 2)
		activity.submit()

		earned = self.ledger(activity.name)
		self.assertEqual(
			sorted((entry.member, entry.points, entry.entry_type) for entry in earned),
			sorted([(self.alice, 2, "Earned"), (self.bob, 2, "Earned")]),
		)
		self.assertEqual({entry.posting_date for entry in earned}, {datetime.date(2025, 5, 10)})
		self.assertEqual(self.totals(self.alice), (before[self.alice][0] + 2, before[self.alice][1] + 1))
		self.assertEqual(self.totals(self.carol), before[self.carol])

		activity.cancel()
		entries = self.ledger(activity.name)
		reversals = [entry for entry in entries if entry.entry_type == "Reversal"]
		self.assertEqual(len(reversals), 2)
		self.assertEqual(sum(entry.points for entry in entries), 0)
		self.assertEqual(
			{entry.reversal_of for entry in reversals},
			set(frappe.get_all(ENTRY, {"voucher_no": activity.name, "entry_type": "Earned"}, pluck="name")),
		)
		for member in (self.alice, self.bob, self.carol):
			self.assertEqual(self.totals(member), before[member])
		self.assertEqual(points.check_kept_balances([self.alice, self.bob, self.carol]), [])

	def test_cancel_is_refused_when_the_points_were_spent(self):
		activity = make_activity([self.alice, self.bob], points=5)
		balance = points.get_kept_balance(self.bob)
		# Bob spends all his points, so the activity's 5 can no longer be taken back.
		make_adjustment(self.bob, -balance, reason="兑换商品")
		entries_before = frappe.db.count(ENTRY)
		alice_before = self.totals(self.alice)

		with self.assertRaisesRegex(points.NegativeBalanceError, "旦增多吉"):
			activity.cancel()
		self.assertEqual(frappe.db.count(ENTRY), entries_before)
		self.assertEqual(frappe.db.get_value("Volunteer Activity", activity.name, "docstatus"), 1)
		# Nothing reversed for the other attendee either.
		self.assertEqual(self.totals(self.alice), alice_before)
		self.assertEqual(points.get_kept_balance(self.bob), 0)

	def test_bad_input_is_refused_and_nothing_saved(self):
		count = frappe.db.count("Volunteer Activity")
		entries = frappe.db.count(ENTRY)
		with self.assertRaisesRegex(frappe.ValidationError, "greater than zero"):
			make_activity([self.alice], points=-1)
		with self.assertRaisesRegex(frappe.ValidationError, "greater than zero"):
			make_activity([self.alice], points=0, service_type="文体活动")
		with self.assertRaisesRegex(frappe.ValidationError, "listed twice"):
			make_activity([self.alice, self.bob, self.alice], points=2)
		with self.assertRaisesRegex(frappe.ValidationError, "takes 1 participants"):
			make_activity([self.alice, self.bob], points=2, capacity=1)
		with self.assertRaisesRegex(frappe.ValidationError, "end before it starts"):
			make_activity(
				[self.alice],
				points=2,
				start_time=datetime.datetime(2025, 6, 1, 9),
				end_time=datetime.datetime(2025, 6, 1, 8),
			)

		suspended = make_party_member(
			frappe.db.get_value(MEMBER, self.alice, "work_unit"), status="Suspended"
		)
		with self.assertRaisesRegex(frappe.ValidationError, "Only active members"):
			make_activity([self.alice, suspended.name], points=2)
		self.assertEqual(frappe.db.count("Volunteer Activity"), count)
		self.assertEqual(frappe.db.count(ENTRY), entries)

	def test_a_draft_may_list_an_inactive_member_who_did_not_attend(self):
		transferred = make_party_member(
			frappe.db.get_value(MEMBER, self.alice, "work_unit"), status="Transferred Out"
		)
		activity = make_activity([self.alice], points=1, submit=False)
		activity.append("participants", {"member": transferred.name, "attended": 0})
		activity.save()
		activity.submit()
		self.assertEqual([entry.member for entry in self.ledger(activity.name)], [self.alice])

	def test_a_cancelled_activity_keeps_its_ledger_and_cannot_be_deleted(self):
		activity = make_activity([self.carol], points=3)
		activity.cancel()
		with self.assertRaises(frappe.LinkExistsError):
			frappe.delete_doc("Volunteer Activity", activity.name)
		self.assertEqual(len(self.ledger(activity.name)), 2)
