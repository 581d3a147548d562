# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import datetime
import threading

import frappe
from frappe.model.naming import make_autoname
from frappe.tests.utils import FrappeTestCase

from wangge_app.community_life.doctype.space_booking.space_booking import cancel_occurrence, move_occurrence
from wangge_app.community_life.test_utils import make_booking, make_space
from wangge_app.test_utils import default_test_community

# A Tuesday.
DAY = datetime.date(2027, 3, 2)


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
	return datetime.datetime.combine(day, datetime.time(hour, minute))


class TestSpaceBooking(FrappeTestCase):
	def setUp(self):
		self.space = make_space().name

	def count_bookings(self):
		return frappe.db.count("Space Booking", {"space": self.space})

	def test_a_booking_that_overlaps_another_is_refused_and_nothing_is_saved(self):
		make_booking(self.space, at(DAY, 9), at(DAY, 11))
		for start, end in (
			(at(DAY, 10), at(DAY, 12)),
			(at(DAY, 8), at(DAY, 9, 30)),
			(at(DAY, 9, 30), at(DAY, 10)),
		):
			with self.assertRaisesRegex(frappe.ValidationError, "already booked"):
				make_booking(self.space, start, end)
		self.assertEqual(self.count_bookings(), 1)

	def test_back_to_back_bookings_and_other_spaces_do_not_clash(self):
		make_booking(self.space, at(DAY, 9), at(DAY, 11))
		make_booking(self.space, at(DAY, 11), at(DAY, 12))
		make_booking(make_space().name, at(DAY, 9), at(DAY, 11))
		self.assertEqual(self.count_bookings(), 2)

	def test_a_cancelled_booking_frees_its_time(self):
		booking = make_booking(self.space, at(DAY, 9), at(DAY, 11))
		booking.status = "Cancelled"
		booking.save()
		make_booking(self.space, at(DAY, 9), at(DAY, 11))
		self.assertEqual(self.count_bookings(), 2)

	def test_bookings_outside_opening_hours_are_refused(self):
		for start, end in ((at(DAY, 7), at(DAY, 9)), (at(DAY, 21), at(DAY, 22))):
			with self.assertRaisesRegex(frappe.ValidationError, "outside these hours"):
				make_booking(self.space, start, end)
		with self.assertRaisesRegex(frappe.ValidationError, "end after it starts"):
			make_booking(self.space, at(DAY, 10), at(DAY, 9))
		self.assertEqual(self.count_bookings(), 0)

	def test_a_space_is_booked_only_by_those_it_is_open_to(self):
		space = make_space(bookable_by_groups=0).name
		group = frappe.get_doc(
			{
				"doctype": "Resident Group",
				"group_name": frappe.generate_hash(length=10),
				"group_type": "Art Troupe",
				"community": default_test_community(),
			}
		).insert()
		with self.assertRaisesRegex(frappe.ValidationError, "cannot be booked for"):
			make_booking(
				space, at(DAY, 9), at(DAY, 10), booked_for="Resident Group", resident_group=group.name
			)
		self.assertEqual(frappe.db.count("Space Booking", {"space": space}), 0)

	def troupe_evenings(self, **fields):
		"""The art troupe every Tuesday and Thursday evening, 19:00–21:00, for four weeks."""
		return make_booking(
			self.space,
			at(DAY, 19),
			at(DAY, 21),
			purpose="老年艺术团排练",
			repeats=1,
			repeat_tuesday=1,
			repeat_thursday=1,
			repeat_until=DAY + datetime.timedelta(days=27),
			**fields,
		)

	def test_a_weekly_booking_books_every_occurrence(self):
		booking = self.troupe_evenings()
		days = [row.occurrence_date for row in booking.occurrences]
		self.assertEqual(len(days), 8)
		self.assertEqual({frappe.utils.getdate(day).weekday() for day in days}, {1, 3})
		self.assertTrue(all(row.status == "Booked" and not row.moved for row in booking.occurrences))
		# Any occurrence blocks its evening, the last one too.
		last = frappe.utils.getdate(days[-1])
		with self.assertRaisesRegex(frappe.ValidationError, "already booked"):
			make_booking(self.space, at(last, 20), at(last, 20, 30))
		# The mornings stay free.
		make_booking(self.space, at(last, 9), at(last, 10))

	def test_a_weekly_booking_is_refused_when_any_occurrence_clashes(self):
		third_thursday = DAY + datetime.timedelta(days=16)
		make_booking(self.space, at(third_thursday, 20), at(third_thursday, 21), purpose="党课")
		with self.assertRaisesRegex(frappe.ValidationError, "already booked"):
			self.troupe_evenings()
		self.assertEqual(self.count_bookings(), 1)

	def test_one_occurrence_is_cancelled_on_its_own(self):
		booking = self.troupe_evenings()
		thursday = DAY + datetime.timedelta(days=2)
		cancel_occurrence(booking.name, str(thursday))
		booking.reload()
		statuses = {frappe.utils.getdate(row.occurrence_date): row.status for row in booking.occurrences}
		self.assertEqual(statuses.pop(thursday), "Cancelled")
		self.assertEqual(set(statuses.values()), {"Booked"})
		# That evening is free now; the next Tuesday is not.
		make_booking(self.space, at(thursday, 19), at(thursday, 21), purpose="电影放映")
		next_tuesday = DAY + datetime.timedelta(days=7)
		with self.assertRaisesRegex(frappe.ValidationError, "already booked"):
			make_booking(self.space, at(next_tuesday, 19), at(next_tuesday, 21))

	def test_one_occurrence_is_moved_on_its_own(self):
		booking = self.troupe_evenings()
		next_tuesday = DAY + datetime.timedelta(days=7)
		move_occurrence(booking.name, str(next_tuesday), str(at(next_tuesday, 15)), str(at(next_tuesday, 17)))
		booking.reload()
		moved = [row for row in booking.occurrences if row.moved]
		self.assertEqual(len(moved), 1)
		self.assertEqual(frappe.utils.get_datetime(moved[0].start_time), at(next_tuesday, 15))
		# The evening it left is free, the afternoon it took is not.
		make_booking(self.space, at(next_tuesday, 19), at(next_tuesday, 21), purpose="电影放映")
		with self.assertRaisesRegex(frappe.ValidationError, "already booked"):
			make_booking(self.space, at(next_tuesday, 16), at(next_tuesday, 18))
		# Moving another occurrence onto a booked time is refused and leaves it where it was.
		thursday = DAY + datetime.timedelta(days=9)
		make_booking(self.space, at(thursday, 10), at(thursday, 12), purpose="读书会")
		with self.assertRaisesRegex(frappe.ValidationError, "already booked"):
			move_occurrence(booking.name, str(thursday), str(at(thursday, 11)), str(at(thursday, 13)))
		stored = frappe.db.get_value(
			"Space Booking Occurrence",
			{"parent": booking.name, "occurrence_date": thursday},
			["start_time", "moved"],
			as_dict=True,
		)
		self.assertEqual((stored.start_time, stored.moved), (at(thursday, 19), 0))

	def test_an_occurrence_moved_outside_opening_hours_is_refused(self):
		booking = self.troupe_evenings()
		with self.assertRaisesRegex(frappe.ValidationError, "outside these hours"):
			move_occurrence(booking.name, str(DAY), str(at(DAY, 21)), str(at(DAY, 23)))


def book_in_own_connection(site, sites_path, space, start, end, purpose, barrier, outcomes):
	"""One user's save from a separate database connection, committed for real."""
	frappe.init(site=site, sites_path=sites_path)
	try:
		frappe.connect()
		frappe.set_user("Administrator")
		doc = frappe.get_doc(
			{
				"doctype": "Space Booking",
				"space": space,
				"purpose": purpose,
				"booked_for": "Community Staff",
				"start_time": start,
				"end_time": end,
			}
		)
		barrier.wait(timeout=30)
		doc.insert()
		frappe.db.commit()
		outcomes[purpose] = "booked"
	except frappe.ValidationError as error:
		frappe.db.rollback()
		outcomes[purpose] = "refused" if "already booked" in str(error) else error
	except Exception as error:
		outcomes[purpose] = error
	finally:
		frappe.destroy()


class TestConcurrentBookings(FrappeTestCase):
	"""Saves on separate connections commit for real; the data is removed at the end."""

	def setUp(self):
		self.space = make_space().name
		# The year's naming series row exists on a site in use (see test_activity_sign_up).
		make_autoname("SB-.YYYY.-.#####")
		frappe.db.commit()

	def tearDown(self):
		frappe.db.rollback()
		for name in frappe.get_all("Space Booking", {"space": self.space}, pluck="name"):
			frappe.delete_doc("Space Booking", name, force=True, ignore_permissions=True)
		frappe.delete_doc("Community Space", self.space, force=True, ignore_permissions=True)
		frappe.db.commit()

	def race(self, slots: dict) -> dict:
		barrier = threading.Barrier(len(slots))
		outcomes = {}
		site, sites_path = frappe.local.site, frappe.local.sites_path
		threads = [
			threading.Thread(
				target=book_in_own_connection,
				args=(site, sites_path, self.space, start, end, purpose, barrier, outcomes),
			)
			for purpose, (start, end) in slots.items()
		]
		for thread in threads:
			thread.start()
		for thread in threads:
			thread.join(timeout=120)
		frappe.db.rollback()  # a fresh snapshot, to read what the threads committed
		return outcomes

	def test_two_users_booking_the_same_time_at_once_exactly_one_wins(self):
		outcomes = self.race(
			{
				"舞蹈排练": (at(DAY, 19), at(DAY, 21)),
				"锅庄培训": (at(DAY, 20), at(DAY, 21, 30)),
			}
		)
		self.assertEqual(sorted(outcomes.values()), ["booked", "refused"])
		booked = frappe.get_all("Space Booking", {"space": self.space}, pluck="purpose")
		self.assertEqual(booked, [purpose for purpose, outcome in outcomes.items() if outcome == "booked"])

	def test_two_users_booking_different_times_at_once_both_win(self):
		outcomes = self.race({"上午": (at(DAY, 9), at(DAY, 11)), "下午": (at(DAY, 14), at(DAY, 16))})
		self.assertEqual(sorted(outcomes.values()), ["booked", "booked"])
		self.assertEqual(frappe.db.count("Space Booking", {"space": self.space}), 2)
