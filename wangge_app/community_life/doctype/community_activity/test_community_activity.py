# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import datetime

import frappe
from frappe.tests.utils import FrappeTestCase

from wangge_app.community_life.doctype.community_activity.community_activity import call_off
from wangge_app.community_life.test_utils import make_booking, make_community_activity, make_space
from wangge_app.community_life.volunteer_points import award_volunteer_points
from wangge_app.volunteer import points
from wangge_app.volunteer.test_utils import make_party_member, make_work_unit

START = datetime.datetime(2027, 4, 6, 15, 0)


def ledger(activity: str) -> list:
	return frappe.get_all(
		points.ENTRY,
		{"voucher_type": "Community Activity", "voucher_no": activity},
		["member", "points", "entry_type", "reversal_of", "name"],
		order_by="creation, name",
	)


class TestCommunityActivityVolunteers(FrappeTestCase):
	def setUp(self):
		unit = make_work_unit().name
		self.helper = make_party_member(unit, full_name="扎西").name
		self.absent = make_party_member(unit, full_name="央宗").name

	def make_activity(self, **fields):
		return make_community_activity(
			START,
			points_per_volunteer=2,
			volunteers=[
				{"member": self.helper, "task": "签到引导", "attended": 1},
				{"member": self.absent, "task": "摄影", "attended": 0},
			],
			**fields,
		)

	def test_completing_the_activity_awards_its_volunteers_through_the_ledger(self):
		activity = self.make_activity()
		self.assertEqual(ledger(activity.name), [])
		activity.submit()
		entries = ledger(activity.name)
		self.assertEqual([(e.member, e.points, e.entry_type) for e in entries], [(self.helper, 2, "Earned")])
		self.assertEqual(points.get_kept_balance(self.helper), 2)
		self.assertEqual(points.get_kept_balance(self.absent), 0)
		self.assertEqual(frappe.db.get_value("Community Activity", activity.name, "status"), "Completed")

	def test_cancelling_the_completed_activity_reverses_the_points(self):
		activity = self.make_activity()
		activity.submit()
		earned = ledger(activity.name)[0]
		activity.cancel()
		entries = ledger(activity.name)
		self.assertEqual(
			[(e.member, e.points, e.entry_type, e.reversal_of) for e in entries],
			[(self.helper, 2, "Earned", None), (self.helper, -2, "Reversal", earned.name)],
		)
		self.assertEqual(points.get_kept_balance(self.helper), 0)
		self.assertEqual(points.check_kept_balances([self.helper]), [])
		self.assertEqual(frappe.db.get_value("Community Activity", activity.name, "status"), "Cancelled")

	def test_no_points_for_an_activity_not_completed(self):
		activity = self.make_activity()
		with self.assertRaisesRegex(frappe.ValidationError, "is not"):
			award_volunteer_points(activity)
		self.assertEqual(ledger(activity.name), [])
		self.assertEqual(points.get_kept_balance(self.helper), 0)

	def test_volunteers_need_points_and_are_listed_once(self):
		with self.assertRaisesRegex(frappe.ValidationError, "greater than zero"):
			make_community_activity(
				START, volunteers=[{"member": self.helper, "attended": 1}], title="无积分活动"
			)
		with self.assertRaisesRegex(frappe.ValidationError, "listed twice"):
			make_community_activity(
				START,
				points_per_volunteer=1,
				volunteers=[{"member": self.helper}, {"member": self.helper}],
				title="重复志愿者",
			)
		self.assertFalse(
			frappe.db.exists("Community Activity", {"title": ("in", ["无积分活动", "重复志愿者"])})
		)


class TestCommunityActivitySpace(FrappeTestCase):
	def setUp(self):
		self.space = make_space(capacity=30).name

	def test_an_activity_in_a_space_books_it(self):
		activity = make_community_activity(START, space=self.space, capacity=20)
		booking = frappe.get_doc("Space Booking", activity.space_booking)
		self.assertEqual(
			(booking.space, booking.booked_for, booking.status), (self.space, "Community Activity", "Booked")
		)
		with self.assertRaisesRegex(frappe.ValidationError, "already booked"):
			make_booking(self.space, START + datetime.timedelta(hours=1), START + datetime.timedelta(hours=3))
		# Moving the activity moves its booking.
		activity.start_time = START + datetime.timedelta(days=1)
		activity.end_time = START + datetime.timedelta(days=1, hours=2)
		activity.save()
		make_booking(self.space, START, START + datetime.timedelta(hours=2))
		booking.reload()
		self.assertEqual(frappe.utils.get_datetime(booking.start_time), START + datetime.timedelta(days=1))

	def test_an_activity_clashing_with_a_booking_is_not_saved(self):
		make_booking(self.space, START, START + datetime.timedelta(hours=1), purpose="老年艺术团排练")
		with self.assertRaisesRegex(frappe.ValidationError, "already booked"):
			make_community_activity(START, space=self.space, title="亲子手工课")
		self.assertFalse(frappe.db.exists("Community Activity", {"title": "亲子手工课", "space": self.space}))

	def test_an_activity_offers_no_more_places_than_its_space_holds(self):
		with self.assertRaisesRegex(frappe.ValidationError, "holds 30 people"):
			make_community_activity(START, space=self.space, capacity=31, title="超员活动")
		self.assertFalse(frappe.db.exists("Community Activity", {"title": "超员活动"}))

	def test_calling_off_frees_the_space(self):
		activity = make_community_activity(START, space=self.space)
		call_off(activity.name)
		self.assertEqual(frappe.db.get_value("Space Booking", activity.space_booking, "status"), "Cancelled")
		self.assertEqual(frappe.db.get_value("Community Activity", activity.name, "status"), "Cancelled")
		make_booking(self.space, START, START + datetime.timedelta(hours=2))
		with self.assertRaisesRegex(frappe.ValidationError, "called off"):
			frappe.get_doc("Community Activity", activity.name).save()
