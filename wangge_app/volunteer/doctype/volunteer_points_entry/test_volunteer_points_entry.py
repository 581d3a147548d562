# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import datetime
import json
import random
import threading

import frappe
import frappe.client
from frappe.tests.test_api import FrappeAPITestCase
from frappe.tests.utils import FrappeTestCase

from wangge_app.test_utils import make_user
from wangge_app.volunteer import points
from wangge_app.volunteer.test_utils import make_activity, make_adjustment, make_party_member, make_work_unit

ENTRY = "Volunteer Points Entry"


def entry_rows(member: str) -> list:
	return frappe.get_all(ENTRY, {"member": member}, ["name", "points", "entry_type"], order_by="creation")


class TestPointsLedgerImmutability(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.member = make_party_member(make_work_unit().name)
		make_adjustment(cls.member.name, 10)
		cls.entry = frappe.get_doc(ENTRY, {"member": cls.member.name})

	def tearDown(self):
		frappe.set_user("Administrator")

	def assert_ledger_unchanged(self):
		self.assertEqual(frappe.db.get_value(ENTRY, self.entry.name, "points"), 10)
		self.assertEqual(points.get_kept_balance(self.member.name), 10)

	def test_entry_cannot_be_created_by_hand(self):
		count = frappe.db.count(ENTRY)
		entry = {
			"doctype": ENTRY,
			"member": self.member.name,
			"points": 100,
			"entry_type": "Adjustment",
			"voucher_type": "In-service Party Member",
			"voucher_no": self.member.name,
			"posting_date": "2025-07-01",
		}
		with self.assertRaisesRegex(frappe.PermissionError, "written by the system"):
			frappe.get_doc(entry).insert(ignore_permissions=True)
		with self.assertRaises(frappe.PermissionError):
			frappe.client.insert(entry)
		self.assertEqual(frappe.db.count(ENTRY), count)
		self.assert_ledger_unchanged()

	def test_administrator_cannot_edit_an_entry(self):
		self.assertEqual(frappe.session.user, "Administrator")
		entry = frappe.get_doc(ENTRY, self.entry.name)
		entry.points = 1000
		with self.assertRaisesRegex(frappe.PermissionError, "cannot be changed or deleted"):
			entry.save()
		with self.assertRaises(frappe.PermissionError):
			frappe.client.set_value(ENTRY, self.entry.name, "points", 1000)
		with self.assertRaises(frappe.PermissionError):
			frappe.client.save({**self.entry.as_dict(), "remarks": "改过了"})
		self.assert_ledger_unchanged()

	def test_administrator_cannot_delete_an_entry(self):
		with self.assertRaisesRegex(frappe.PermissionError, "cannot be changed or deleted"):
			frappe.delete_doc(ENTRY, self.entry.name)
		with self.assertRaises(frappe.PermissionError):
			frappe.client.delete(ENTRY, self.entry.name)
		self.assertTrue(frappe.db.exists(ENTRY, self.entry.name))
		self.assert_ledger_unchanged()

	def test_community_manager_has_no_write_permission(self):
		make_user("vol-ledger-manager@example.com", ["Community Manager"])
		frappe.set_user("vol-ledger-manager@example.com")
		self.assertTrue(frappe.has_permission(ENTRY, "read", doc=self.entry.name))
		for ptype in ("create", "write", "delete"):
			self.assertFalse(frappe.has_permission(ENTRY, ptype, doc=self.entry.name), ptype)

	def test_a_member_form_save_never_changes_the_balance(self):
		member = frappe.get_doc("In-service Party Member", self.member.name)
		member.points_balance = 999
		member.activity_count = 99
		member.save()
		member.reload()
		self.assertEqual((member.points_balance, member.activity_count), (10, 0))


class TestPointsLedgerThroughRestApi(FrappeAPITestCase):
	"""Requests run in their own thread and connection, so the data is committed and removed again."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.work_unit = make_work_unit()
		cls.member = make_party_member(cls.work_unit.name)
		points.make_points_entry(cls.member.name, 10, points.ADJUSTMENT, "Work Unit", cls.work_unit.name)
		cls.entry = frappe.get_value(ENTRY, {"member": cls.member.name})
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.db.delete(ENTRY, {"member": cls.member.name})
		frappe.db.delete("In-service Party Member", cls.member.name)
		frappe.db.delete("Work Unit", cls.work_unit.name)
		frappe.db.commit()
		super().tearDownClass()

	def test_rest_api_refuses_edit_create_and_delete_for_administrator(self):
		url = self.resource(ENTRY)
		response = self.put(f"{url}/{self.entry}", {"points": 1000, "sid": self.sid})
		self.assertEqual(response.status_code, 403)
		self.assertIn("cannot be changed or deleted", response.get_data(as_text=True))
		response = self.delete(f"{url}/{self.entry}", query_string={"sid": self.sid})
		self.assertEqual(response.status_code, 403)
		self.assertIn("cannot be changed or deleted", response.get_data(as_text=True))
		payload = {"member": self.member.name, "points": 500, "entry_type": "Adjustment"}
		body = (
			{"data": json.dumps(payload)} if not self.version else payload
		)  # v2 takes the fields as they are
		response = self.post(url, {**body, "sid": self.sid})
		self.assertEqual(response.status_code, 403)
		self.assertIn("written by the system only", response.get_data(as_text=True))

		frappe.db.rollback()  # see what the requests committed
		self.assertEqual(frappe.get_all(ENTRY, {"member": self.member.name}, pluck="points"), [10])
		self.assertEqual(points.get_kept_balance(self.member.name), 10)


class TestPointsLedgerThroughRestApiV2(TestPointsLedgerThroughRestApi):
	"""The same through /api/v2/document."""

	version = "v2"


class TestPointsBalance(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		work_unit = make_work_unit()
		cls.members = [make_party_member(work_unit.name, full_name=f"成员{i}").name for i in range(4)]

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_balance_equals_sum_of_entries_after_random_operations(self):
		rng = random.Random(20260101)
		activities, adjustments = [], []
		for step in range(40):
			operation = rng.choice(["activity", "activity", "adjust", "deduct", "cancel"])
			if operation == "activity":
				attendees = rng.sample(self.members, rng.randint(1, len(self.members)))
				activities.append(
					make_activity(
						attendees,
						points=rng.randint(1, 5),
						start_time=datetime.datetime(2025, 1, 1, 9) + datetime.timedelta(days=step),
					)
				)
			elif operation == "adjust":
				adjustments.append(make_adjustment(rng.choice(self.members), rng.randint(1, 8)))
			elif operation == "deduct":
				member = rng.choice(self.members)
				balance = points.get_kept_balance(member)
				try:
					adjustments.append(make_adjustment(member, -rng.randint(1, 6)))
				except points.NegativeBalanceError:
					self.assertLess(balance, 6)
			else:
				candidates = [doc for doc in activities + adjustments if doc.docstatus == 1]
				if candidates:
					document = rng.choice(candidates)
					try:
						document.cancel()
					except points.NegativeBalanceError:
						document.reload()
						self.assertEqual(document.docstatus, 1)

			for member in self.members:
				self.assertEqual(points.get_kept_balance(member), points.sum_ledger_balance(member))
				self.assertGreaterEqual(points.get_kept_balance(member), 0)
		self.assertEqual(points.check_kept_balances(self.members), [])
		self.assertGreater(sum(points.get_kept_balance(member) for member in self.members), 0)

	def test_check_finds_a_kept_balance_that_drifted(self):
		member = self.members[0]
		make_adjustment(member, 5)
		frappe.db.set_value("In-service Party Member", member, "points_balance", 4, update_modified=False)
		(mismatch,) = points.check_kept_balances([member])
		self.assertEqual(
			(mismatch.kept_balance, mismatch.ledger_balance), (4, points.sum_ledger_balance(member))
		)
		restore_kept_balance(member)

	def test_daily_check_logs_a_drifted_balance(self):
		member = self.members[2]
		make_adjustment(member, 5)
		self.assertEqual(points.check_kept_balances([member]), [])
		frappe.db.set_value("In-service Party Member", member, "points_balance", 50, update_modified=False)
		logged = frappe.db.count("Error Log")
		points.report_kept_balance_mismatches()
		self.assertEqual(frappe.db.count("Error Log"), logged + 1)
		restore_kept_balance(member)

	def test_a_member_with_ledger_entries_cannot_be_deleted(self):
		member = self.members[3]
		make_adjustment(member, 2)
		with self.assertRaises(frappe.LinkExistsError):
			frappe.delete_doc("In-service Party Member", member)
		self.assertTrue(frappe.db.exists("In-service Party Member", member))

	def test_get_points_balance_is_whitelisted_and_checks_permission(self):
		make_adjustment(self.members[1], 7)
		expected = points.sum_ledger_balance(self.members[1])
		self.assertEqual(
			frappe.call("wangge_app.volunteer.points.get_points_balance", member=self.members[1]), expected
		)
		make_user("vol-merchant@example.com", ["Partner Merchant"], user_type="Website User")
		frappe.set_user("vol-merchant@example.com")
		with self.assertRaises(frappe.PermissionError):
			points.get_points_balance(self.members[1])


def restore_kept_balance(member: str) -> None:
	frappe.db.set_value(
		"In-service Party Member",
		member,
		"points_balance",
		points.sum_ledger_balance(member),
		update_modified=False,
	)


def award_in_own_connection(site: str, sites_path: str, member: str, times: int, errors: list) -> None:
	"""Award one point `times` times from a separate database connection, committing each."""
	frappe.init(site=site, sites_path=sites_path)
	try:
		frappe.connect()
		for _ in range(times):
			points.make_points_entry(member, 1, points.ADJUSTMENT, "In-service Party Member", member)
			frappe.db.commit()
	except Exception as error:
		errors.append(error)
	finally:
		frappe.destroy()


def deduct_in_own_connection(site: str, sites_path: str, adjustment: str, outcomes: list) -> None:
	frappe.init(site=site, sites_path=sites_path)
	try:
		frappe.connect()
		frappe.get_doc("Points Adjustment", adjustment).submit()
		frappe.db.commit()
		outcomes.append("submitted")
	except points.NegativeBalanceError:
		frappe.db.rollback()
		outcomes.append("refused")
	except Exception as error:
		outcomes.append(error)
	finally:
		frappe.destroy()


class TestConcurrentPoints(FrappeTestCase):
	"""Writers in separate connections commit for real; the data is removed at the end."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.work_unit = make_work_unit()
		cls.member = make_party_member(cls.work_unit.name)
		make_adjustment(cls.member.name, 30)
		frappe.db.commit()

	@classmethod
	def tearDownClass(cls):
		frappe.db.rollback()
		adjustments = frappe.get_all("Points Adjustment", {"member": cls.member.name}, pluck="name")
		frappe.db.delete(ENTRY, {"member": cls.member.name})
		frappe.db.delete("Points Adjustment", {"name": ("in", adjustments)})
		frappe.db.delete("In-service Party Member", cls.member.name)
		frappe.db.delete("Work Unit", cls.work_unit.name)
		frappe.db.commit()
		super().tearDownClass()

	def run_threads(self, target, args_list):
		site, sites_path = frappe.local.site, frappe.local.sites_path
		threads = [threading.Thread(target=target, args=(site, sites_path, *args)) for args in args_list]
		for thread in threads:
			thread.start()
		for thread in threads:
			thread.join(timeout=120)
		frappe.db.rollback()  # a fresh snapshot, to read what the threads committed

	def test_concurrent_awards_to_one_member_lose_nothing(self):
		before = points.get_kept_balance(self.member.name)
		errors = []
		self.run_threads(award_in_own_connection, [(self.member.name, 25, errors)] * 8)
		self.assertEqual(errors, [])
		self.assertEqual(points.get_kept_balance(self.member.name), before + 8 * 25)
		self.assertEqual(points.sum_ledger_balance(self.member.name), before + 8 * 25)

	def test_concurrent_deductions_never_overdraw(self):
		balance = points.get_kept_balance(self.member.name)
		deduction = balance // 3 + 1
		drafts = [make_adjustment(self.member.name, -deduction, submit=False).name for _ in range(6)]
		frappe.db.commit()
		outcomes = []
		self.run_threads(deduct_in_own_connection, [(draft, outcomes) for draft in drafts])
		# Each deduction takes just over a third of the balance: exactly two fit.
		self.assertEqual(sorted(outcomes), ["refused"] * 4 + ["submitted"] * 2)
		kept = points.get_kept_balance(self.member.name)
		self.assertEqual(kept, balance - 2 * deduction)
		self.assertEqual(kept, points.sum_ledger_balance(self.member.name))
