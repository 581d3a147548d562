# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import datetime
import threading

import frappe
from frappe.model.naming import make_autoname
from frappe.tests.utils import FrappeTestCase

from wangge_app.community_life import sign_ups
from wangge_app.community_life.test_utils import make_community_activity, sign_up
from wangge_app.test_utils import make_community_tree, make_household, make_resident, make_user

NOW = datetime.datetime(2026, 12, 1, 10, 0)
WORKER = "life-signup-worker@example.com"


class SignUpTestCase(FrappeTestCase):
	def setUp(self):
		make_user(WORKER, ["Grid Worker"])
		self.community, self.grid, self.micro_grid = make_community_tree(workers=[WORKER])
		household = make_household(self.micro_grid.name)
		self.residents = [
			make_resident(
				household.name, full_name=name, date_of_birth=datetime.date(1950, 1, 1 + index)
			).name
			for index, name in enumerate(("次仁", "卓玛", "拉姆", "格桑", "多吉"))
		]

	def statuses(self, activity):
		rows = frappe.get_all("Activity Sign-up", {"activity": activity}, ["resident", "status"])
		return {row.resident: row.status for row in rows}


class TestActivitySignUp(SignUpTestCase):
	def test_places_fill_then_the_waiting_list(self):
		activity = make_community_activity(community=self.community.name, capacity=2).name
		for index, resident in enumerate(self.residents[:3]):
			sign_up(activity, resident, now=NOW + datetime.timedelta(minutes=index))
		self.assertEqual(
			self.statuses(activity),
			{self.residents[0]: "Signed Up", self.residents[1]: "Signed Up", self.residents[2]: "Waiting"},
		)
		counts = frappe.db.get_value("Community Activity", activity, ["signed_up_count", "waiting_count"])
		self.assertEqual(tuple(counts), (2, 1))

	def test_signing_up_past_capacity_without_a_waiting_list_is_refused(self):
		activity = make_community_activity(community=self.community.name, capacity=1, waiting_list=0).name
		sign_up(activity, self.residents[0])
		with self.assertRaisesRegex(frappe.ValidationError, "is full"):
			sign_up(activity, self.residents[1])
		self.assertEqual(frappe.db.count("Activity Sign-up", {"activity": activity}), 1)

	def test_a_resident_signs_up_once(self):
		activity = make_community_activity(community=self.community.name, capacity=5).name
		sign_up(activity, self.residents[0])
		with self.assertRaisesRegex(frappe.ValidationError, "already signed up"):
			sign_up(activity, self.residents[0])
		self.assertEqual(frappe.db.count("Activity Sign-up", {"activity": activity}), 1)

	def test_a_freed_place_is_offered_to_the_first_who_waits(self):
		activity = make_community_activity(community=self.community.name, capacity=1, offer_hours=24).name
		first = sign_up(activity, self.residents[0], now=NOW).name
		second = sign_up(activity, self.residents[1], now=NOW + datetime.timedelta(minutes=1)).name
		third = sign_up(activity, self.residents[2], now=NOW + datetime.timedelta(minutes=2)).name
		sign_ups.cancel(first, now=NOW + datetime.timedelta(hours=1))
		offered = frappe.db.get_value(
			"Activity Sign-up", second, ["status", "offer_expires_at"], as_dict=True
		)
		self.assertEqual(offered.status, "Offered")
		self.assertEqual(offered.offer_expires_at, NOW + datetime.timedelta(hours=25))
		self.assertEqual(frappe.db.get_value("Activity Sign-up", third, "status"), "Waiting")
		# Signing up meanwhile does not jump the queue: the offered place is taken.
		fourth = sign_up(activity, self.residents[3]).name
		self.assertEqual(frappe.db.get_value("Activity Sign-up", fourth, "status"), "Waiting")
		sign_ups.accept(second, now=NOW + datetime.timedelta(hours=5))
		self.assertEqual(frappe.db.get_value("Activity Sign-up", second, "status"), "Signed Up")
		self.assertEqual(frappe.db.get_value("Community Activity", activity, "signed_up_count"), 1)

	def test_an_offer_not_accepted_in_time_passes_on(self):
		activity = make_community_activity(community=self.community.name, capacity=1, offer_hours=12).name
		first = sign_up(activity, self.residents[0], now=NOW).name
		second = sign_up(activity, self.residents[1], now=NOW + datetime.timedelta(minutes=1)).name
		third = sign_up(activity, self.residents[2], now=NOW + datetime.timedelta(minutes=2)).name
		sign_ups.cancel(first, now=NOW)
		# Before it lapses the job leaves the offer alone.
		self.assertEqual(sign_ups.pass_on_lapsed_offers(now=NOW + datetime.timedelta(hours=11)), [])
		self.assertEqual(frappe.db.get_value("Activity Sign-up", second, "status"), "Offered")
		lapsed = sign_ups.pass_on_lapsed_offers(now=NOW + datetime.timedelta(hours=12, minutes=1))
		self.assertEqual(lapsed, [second])
		self.assertEqual(frappe.db.get_value("Activity Sign-up", second, "status"), "Offer Lapsed")
		self.assertEqual(frappe.db.get_value("Activity Sign-up", third, "status"), "Offered")
		with self.assertRaisesRegex(frappe.ValidationError, "No place is offered"):
			sign_ups.accept(second, now=NOW + datetime.timedelta(hours=13))
		# The next offer lapses too if it is not taken by its own time.
		with self.assertRaisesRegex(frappe.ValidationError, "passed on"):
			sign_ups.accept(third, now=NOW + datetime.timedelta(hours=25))
		self.assertEqual(frappe.db.get_value("Activity Sign-up", third, "status"), "Offered")

	def test_check_in_counts_once_and_only_for_residents_with_a_place(self):
		activity = make_community_activity(community=self.community.name, capacity=1).name
		sign_up(activity, self.residents[0])
		sign_up(activity, self.residents[1])  # waits
		first = sign_ups.check_in_resident(activity, self.residents[0], now=NOW)
		again = sign_ups.check_in_resident(
			activity, self.residents[0], now=NOW + datetime.timedelta(minutes=5)
		)
		self.assertEqual((first["already"], again["already"]), (False, True))
		self.assertEqual(frappe.db.get_value("Community Activity", activity, "attended_count"), 1)
		self.assertEqual(frappe.db.get_value("Activity Sign-up", first["sign_up"], "checked_in_at"), NOW)
		for resident in (self.residents[1], self.residents[2]):
			with self.assertRaisesRegex(frappe.ValidationError, "has no place"):
				sign_ups.check_in_resident(activity, resident)
		self.assertEqual(frappe.db.get_value("Community Activity", activity, "attended_count"), 1)

	def test_a_grid_worker_signs_up_residents_of_their_grids_only(self):
		other_grid = make_community_tree()[1]
		outsider = make_resident(make_household(other_grid.name).name, full_name="外网格居民").name
		activity = make_community_activity(community=self.community.name, capacity=5).name
		frappe.set_user(WORKER)
		try:
			own = sign_up(activity, self.residents[0])
			self.assertEqual(own.grid, self.micro_grid.name)
			with self.assertRaises(frappe.PermissionError):
				sign_up(activity, outsider)
		finally:
			frappe.set_user("Administrator")
		sign_up(activity, outsider)
		frappe.set_user(WORKER)
		try:
			visible = frappe.get_list("Activity Sign-up", {"activity": activity}, pluck="resident")
		finally:
			frappe.set_user("Administrator")
		self.assertEqual(visible, [self.residents[0]])

	def test_sign_ups_are_closed_when_the_activity_is_completed_or_called_off(self):
		from wangge_app.community_life.doctype.community_activity.community_activity import call_off

		activity = make_community_activity(community=self.community.name, capacity=5)
		held = sign_up(activity.name, self.residents[0]).name
		call_off(activity.name)
		self.assertEqual(frappe.db.get_value("Activity Sign-up", held, "status"), "Cancelled")
		with self.assertRaisesRegex(frappe.ValidationError, "not open for sign-ups"):
			sign_up(activity.name, self.residents[1])


def sign_up_in_own_connection(site, sites_path, activity, resident, barrier, outcomes):
	frappe.init(site=site, sites_path=sites_path)
	try:
		frappe.connect()
		frappe.set_user("Administrator")
		doc = frappe.get_doc({"doctype": "Activity Sign-up", "activity": activity, "resident": resident})
		barrier.wait(timeout=30)
		doc.insert()
		frappe.db.commit()
		outcomes[resident] = doc.status
	except frappe.ValidationError as error:
		frappe.db.rollback()
		outcomes[resident] = "refused" if "is full" in str(error) else error
	except Exception as error:
		outcomes[resident] = error
	finally:
		frappe.destroy()


class TestConcurrentSignUps(SignUpTestCase):
	"""Sign-ups on separate connections commit for real; the data is removed at the end."""

	def setUp(self):
		super().setUp()
		# The year's naming series row exists on a site in use; created by concurrent first inserts, the
		# engine's naming would deadlock before any of the app's code runs.
		make_autoname("AS-.YYYY.-.#####")
		frappe.db.commit()
		self.activities = []

	def tearDown(self):
		frappe.db.rollback()
		for activity in self.activities:
			frappe.db.delete("Activity Sign-up", {"activity": activity})
			frappe.delete_doc("Community Activity", activity, force=True, ignore_permissions=True)
		grids = [self.micro_grid.name, self.grid.name, self.community.name]
		for doctype in ("Resident", "Household"):
			frappe.db.delete(doctype, {"grid": ("in", grids)})
		for grid in grids:
			frappe.delete_doc("Grid", grid, force=True, ignore_permissions=True)
		frappe.db.commit()

	def race(self, activity: str) -> dict:
		barrier = threading.Barrier(len(self.residents))
		outcomes = {}
		site, sites_path = frappe.local.site, frappe.local.sites_path
		threads = [
			threading.Thread(
				target=sign_up_in_own_connection,
				args=(site, sites_path, activity, resident, barrier, outcomes),
			)
			for resident in self.residents
		]
		for thread in threads:
			thread.start()
		for thread in threads:
			thread.join(timeout=120)
		frappe.db.rollback()
		return outcomes

	def test_five_residents_signing_up_at_once_for_two_places(self):
		activity = make_community_activity(community=self.community.name, capacity=2, waiting_list=0).name
		self.activities.append(activity)
		frappe.db.commit()
		outcomes = self.race(activity)
		self.assertEqual(
			sorted(outcomes.values()), ["Signed Up", "Signed Up", "refused", "refused", "refused"]
		)
		self.assertEqual(frappe.db.count("Activity Sign-up", {"activity": activity}), 2)
		self.assertEqual(frappe.db.get_value("Community Activity", activity, "signed_up_count"), 2)

	def test_five_residents_signing_up_at_once_fill_the_places_then_the_waiting_list(self):
		activity = make_community_activity(community=self.community.name, capacity=2).name
		self.activities.append(activity)
		frappe.db.commit()
		outcomes = self.race(activity)
		self.assertEqual(
			sorted(outcomes.values()), ["Signed Up", "Signed Up", "Waiting", "Waiting", "Waiting"]
		)
		self.assertEqual(
			frappe.db.count("Activity Sign-up", {"activity": activity, "status": "Signed Up"}), 2
		)
		self.assertEqual(
			tuple(frappe.db.get_value("Community Activity", activity, ["signed_up_count", "waiting_count"])),
			(2, 3),
		)
