# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import datetime

import frappe
from frappe.tests.utils import FrappeTestCase

from wangge_app.test_utils import make_community_tree, make_grid, make_user
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
				"grid": frappe.db.get_value(MEMBER, self.alice, "grid"),
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


class TestActivityPointsAndGrid(FrappeTestCase):
	"""Issue 10, finding 5: a grid worker could mint any number of points for members of any grid."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.worker = make_user("va-worker@example.com", ["Grid Worker"]).name
		cls.manager = make_user("va-manager@example.com", ["Community Manager"]).name
		cls.community, cls.grid, cls.micro_grid = make_community_tree(workers=[cls.worker])
		cls.other_grid = make_grid("Grid", cls.community.name)
		work_unit = make_work_unit().name
		cls.own = make_party_member(work_unit, full_name="格桑", grid=cls.grid.name).name
		cls.own_micro = make_party_member(work_unit, full_name="央宗", grid=cls.micro_grid.name).name
		cls.foreign = make_party_member(work_unit, full_name="次仁", grid=cls.other_grid.name).name
		# 环境绿化: 2 points by default, and at most 2 unless a manager awards more.
		cls.limit = frappe.db.get_value("Volunteer Service Type", "环境绿化", "max_points_per_participant")

	def tearDown(self):
		frappe.set_user("Administrator")

	def counts(self):
		return frappe.db.count("Volunteer Activity"), frappe.db.count(ENTRY)

	def balance(self, member):
		return frappe.db.get_value(MEMBER, member, "points_balance")

	def test_finding_05_points_minting(self):
		before = self.counts()
		foreign_balance = self.balance(self.foreign)
		frappe.set_user(self.worker)
		# 100,000 points each for the worker's own members: refused, nothing written.
		with self.assertRaisesRegex(frappe.PermissionError, "Community Manager must approve"):
			make_activity([self.own, self.own_micro], points=100_000, grid=self.grid.name)
		# Members of another grid cannot be awarded through the worker's grid (the worker cannot even
		# link them) ...
		with self.assertRaisesRegex(frappe.PermissionError, "lies outside your grids"):
			make_activity([self.own, self.foreign], grid=self.grid.name)
		# ... nor through the other grid, which the worker cannot reach.
		with self.assertRaises(frappe.PermissionError):
			make_activity([self.foreign], grid=self.other_grid.name)
		# Nor without a grid.
		without_grid = frappe.get_doc(
			{
				"doctype": "Volunteer Activity",
				"title": "无网格活动",
				"service_type": "环境绿化",
				"start_time": datetime.datetime(2025, 6, 1, 9),
				"end_time": datetime.datetime(2025, 6, 1, 11),
				"participants": [{"member": self.own, "attended": 1}],
			}
		)
		with self.assertRaises(frappe.MandatoryError):
			without_grid.insert()
		frappe.set_user("Administrator")
		self.assertEqual(self.counts(), before)
		self.assertEqual(self.balance(self.foreign), foreign_balance)

		# Within the limit, for the members of the grid and its micro-grid: the worker's ordinary work.
		frappe.set_user(self.worker)
		activity = make_activity([self.own, self.own_micro], points=self.limit, grid=self.grid.name)
		self.assertEqual(activity.docstatus, 1)
		self.assertEqual(
			sorted(frappe.get_all(ENTRY, {"voucher_no": activity.name}, pluck="points")), [self.limit] * 2
		)

	def test_a_manager_approves_a_larger_award_which_a_worker_cannot_submit(self):
		frappe.set_user(self.manager)
		draft = make_activity([self.own], points=50, grid=self.grid.name, submit=False)
		frappe.set_user(self.worker)
		draft = frappe.get_doc("Volunteer Activity", draft.name)
		with self.assertRaisesRegex(frappe.PermissionError, "Community Manager must approve"):
			draft.submit()
		self.assertEqual(frappe.db.get_value("Volunteer Activity", draft.name, "docstatus"), 0)
		self.assertFalse(frappe.db.exists(ENTRY, {"voucher_no": draft.name}))

		frappe.set_user(self.manager)
		approved = frappe.get_doc("Volunteer Activity", draft.name)
		approved.submit()
		self.assertEqual(frappe.get_all(ENTRY, {"voucher_no": approved.name}, pluck="points"), [50])

	def test_the_grid_rule_holds_for_managers_too(self):
		frappe.set_user(self.manager)
		with self.assertRaisesRegex(frappe.ValidationError, "Only members registered in the grid"):
			make_activity([self.own, self.foreign], points=2, grid=self.grid.name)
		# The community holds both grids.
		activity = make_activity([self.own, self.foreign], points=2, grid=self.community.name)
		self.assertEqual(activity.attendee_count, 2)
		# A member who did not attend may be listed from anywhere; they earn nothing.
		# 格桑 is registered in the grid, above the micro-grid.
		with self.assertRaisesRegex(frappe.ValidationError, "格桑"):
			make_activity([self.own], points=2, grid=self.micro_grid.name)
		draft = make_activity([self.own_micro], points=2, grid=self.micro_grid.name, submit=False)
		draft.append("participants", {"member": self.foreign, "attended": 0})
		draft.save()
		draft.submit()
		self.assertEqual(frappe.get_all(ENTRY, {"voucher_no": draft.name}, pluck="member"), [self.own_micro])

	def test_a_community_raises_the_limit_of_a_type(self):
		service_type = frappe.get_doc("Volunteer Service Type", "环境绿化")
		self.assertEqual(service_type.max_points_per_participant, service_type.default_points)
		service_type.max_points_per_participant = 1
		self.assertRaisesRegex(frappe.ValidationError, "cannot be below", service_type.save)
		service_type.reload()
		service_type.max_points_per_participant = 6
		service_type.save()

		frappe.set_user(self.worker)
		activity = make_activity([self.own], points=6, grid=self.grid.name)
		self.assertEqual(frappe.get_all(ENTRY, {"voucher_no": activity.name}, pluck="points"), [6])
		with self.assertRaisesRegex(frappe.PermissionError, "more than the 6 points allowed"):
			make_activity([self.own], points=7, grid=self.grid.name)

	def test_patch_sets_the_limit_of_existing_types(self):
		from wangge_app.patches.v1 import set_max_points_per_participant

		frappe.db.set_value("Volunteer Service Type", "关爱帮扶", "max_points_per_participant", 0)
		set_max_points_per_participant.execute()
		self.assertEqual(
			frappe.db.get_value("Volunteer Service Type", "关爱帮扶", "max_points_per_participant"), 3
		)
		# A new type without a limit gets its default points.
		custom = frappe.get_doc(
			{"doctype": "Volunteer Service Type", "service_type_name": "双语宣讲测试", "default_points": 4}
		).insert()
		self.assertEqual(custom.max_points_per_participant, 4)
