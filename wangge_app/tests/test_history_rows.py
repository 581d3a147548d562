# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""History rows are append-only (wangge_app/scopes.py HISTORY, wangge_app/history.py), tested from the
declaration: every child table of the app is history or editable; for each history table, as each role
that may write its record (a user of the record's grid where the role is scoped) and as Administrator
(whom Frappe does not hold to permission levels), a save that changes any field of a recorded row,
moves rows, removes one, or sends the stamps of a new row is refused, or the server's stamps are kept.
A role that may not change the record in its present state at all (the workflow's state owner) is
refused as such."""

import datetime

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, add_to_date, cint, flt, get_datetime, getdate, now_datetime, today

from wangge_app import roles
from wangge_app import workflows as wf
from wangge_app.history import HistoryRowError, comparable, comparable_fields
from wangge_app.resident_services.doctype.resident_request.resident_request import chase
from wangge_app.resident_services.test_utils import (
	add_follow_up,
	make_request,
	random_id_number,
	resolve_in_grid,
	start_assisted_service,
)
from wangge_app.safety.test_utils import add_check, make_hazard, make_photo
from wangge_app.scopes import EDITABLE_TABLES, HISTORY, doctypes_on_disk, history_parents
from wangge_app.test_utils import (
	apply_workflow_as,
	make_community_tree,
	make_household,
	make_partner_department,
	make_party_member_household,
	make_resident,
	make_user,
	scope_user_to_grid,
)

WORKER = "hist-worker@example.com"
MANAGER = "hist-manager@example.com"
# A user of each role (scoped to the records' grid where the role is scoped).
ROLE_USERS = {
	roles.GRID_WORKER: WORKER,
	roles.COMMUNITY_MANAGER: MANAGER,
	roles.SYSTEM_MANAGER: "hist-system-manager@example.com",
	roles.MEDIATOR: "hist-mediator@example.com",
	roles.BRANCH_SECRETARY: "hist-secretary@example.com",
	roles.PARTY_COMMITTEE: "hist-committee@example.com",
}
# These must meet the history check itself on every table: a Community Manager may edit every record
# with history in every state; Administrator is not reset to the permission levels it lacks by Frappe.
ALWAYS_EDITING = (MANAGER, "Administrator")
LONG_AGO = datetime.datetime(2001, 1, 1, 8, 0)
KEEP_HISTORY = "wangge_app.history.keep_history"


class TestHistoryDeclaration(FrappeTestCase):
	def test_every_child_table_is_history_or_editable(self):
		tables = {name for name, definition in doctypes_on_disk().items() if definition["istable"]}
		unclassified = tables - set(HISTORY) - EDITABLE_TABLES
		self.assertEqual(unclassified, set(), "declare each child table in HISTORY or EDITABLE_TABLES")
		self.assertEqual(set(HISTORY) & EDITABLE_TABLES, set())
		self.assertEqual((set(HISTORY) | EDITABLE_TABLES) - tables, set(), "not a child table of the app")

	def test_history_names_its_table_and_its_stamps(self):
		for child, history in HISTORY.items():
			with self.subTest(child=child):
				table = frappe.get_meta(history.parent).get_field(history.table_field)
				self.assertEqual((table.fieldtype, table.options), ("Table", child))
				# A history table belongs to its one record: no other table holds its rows.
				holders = [
					(name, field.fieldname)
					for name in doctypes_on_disk()
					for field in frappe.get_meta(name).get_table_fields()
					if field.options == child
				]
				self.assertEqual(holders, [(history.parent, history.table_field)])
				fields = {df.fieldname: df for df in frappe.get_meta(child).fields}
				for fieldname in history.stamped_by:
					self.assertEqual(
						(fields[fieldname].fieldtype, fields[fieldname].options), ("Link", "User")
					)
				for fieldname in history.stamped_at:
					self.assertEqual(fields[fieldname].fieldtype, "Datetime")
				for fieldname in history.fill_once:
					self.assertIn(fieldname, fields)
				# Rows only the app writes sit at a permission level no role writes.
				self.assertEqual(history.by_app, table.permlevel >= 2)
				if not history.by_app:
					# The form shows the server's stamps, not fields to type into.
					for fieldname in (*history.stamped_by, *history.stamped_at):
						self.assertTrue(fields[fieldname].read_only, fieldname)

	def test_each_record_with_history_runs_the_check_once_beside_its_other_handlers(self):
		events = frappe.get_hooks("doc_events")
		links_in_scope = {
			"before_validate": "wangge_app.permissions.validate_links_in_scope",
			"validate": "wangge_app.permissions.validate_links_set_in_validate",
		}
		for parent in history_parents():
			for event, link_check in links_in_scope.items():
				with self.subTest(parent=parent, event=event):
					handlers = events[parent][event]
					self.assertEqual(handlers.count(KEEP_HISTORY), 1)
					self.assertIn(link_check, handlers)
		for child in HISTORY:
			self.assertIn("wangge_app.history.refuse_row_deletion", events[child]["on_trash"])


class TestHistoryRows(FrappeTestCase):
	"""Each history table holds two recorded rows, of different values, in a record of its own kind."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		for role, user in ROLE_USERS.items():
			make_user(user, [role], first_name=role)
			# Assignments, chases and alerts mail their users; sending mail in a test commits.
			frappe.db.set_value("Notification Settings", user, "enable_email_notifications", 0)
		cls.community, cls.grid, cls.micro_grid = make_community_tree(workers=[WORKER])
		scope_user_to_grid(ROLE_USERS["Grid Party Branch Secretary"], cls.grid.name)
		cls.households = [make_household(cls.micro_grid.name).name for _ in range(4)]
		cls.departments = [
			make_partner_department("历史测试 城关区交通警察大队").name,
			make_partner_department("历史测试 城关区住建局").name,
		]
		cls.photos = [make_photo("before.png"), make_photo("after.png")]
		cls.records = {
			"Dispute Case": cls.make_dispute_case(),
			"Resident Request": cls.make_resident_request(),
			"Safety Hazard": cls.make_safety_hazard(),
			"Assisted Service Request": cls.make_assisted_service(),
			"Party Member Household": cls.make_party_member_household(),
		}
		frappe.set_user("Administrator")

	def tearDown(self):
		frappe.set_user("Administrator")

	# The records, each history table with two rows.

	@classmethod
	def make_dispute_case(cls) -> str:
		case = frappe.get_doc(
			{
				"doctype": "Dispute Case",
				"subject": "楼道堆物纠纷",
				"grid": cls.micro_grid.name,
				"category": "Neighbours",
				"case_source": "Grid Patrol",
				"discovered_at": add_to_date(now_datetime(), days=-3),
				"description": "邻居在楼道堆放杂物，双方争执。",
				"parties": [{"party_role": "Applicant", "party_name": "次仁"}],
			}
		).insert()
		apply_workflow_as(WORKER, case, "Arrive On Site")
		for user, visit in (
			(
				WORKER,
				{
					"visit_date": add_days(today(), -1),
					"result": "双方已清理楼道",
					"satisfaction": "Satisfied",
				},
			),
			(MANAGER, {"visit_date": today(), "result": "关系缓和", "satisfaction": "Neutral"}),
		):
			frappe.set_user(user)
			case = frappe.get_doc("Dispute Case", case.name)
			case.append("follow_up_visits", {**visit, "visited_by": user})
			case.save()
		frappe.set_user("Administrator")
		case = frappe.get_doc("Dispute Case", case.name)
		log_misses(case, case.discovered_at, (("Arrival on Site", 2), ("Settlement", 30)))
		return case.name

	@classmethod
	def make_resident_request(cls) -> str:
		request = make_request(household=cls.households[0])
		frappe.set_user(WORKER)
		chase(request.name, "请尽快处理")
		frappe.set_user(MANAGER)
		chase(request.name, None)
		frappe.set_user("Administrator")
		request = resolve_in_grid(request, WORKER)
		frappe.set_user(MANAGER)
		doc = frappe.get_doc("Resident Request", request.name)
		for department, asked, answer in (
			(cls.departments[0], "主干道改单行", "已改为单行道"),
			(cls.departments[1], "楼道灯更换", "已安排维修"),
		):
			doc.append("referrals", {"department": department, "asked": asked, "answer": answer})
		doc.save()
		frappe.set_user("Administrator")
		add_follow_up(request, WORKER, "Not Satisfied", remarks="灯又坏了", follow_up_method="Home Visit")
		add_follow_up(request, MANAGER, "Satisfied")
		doc = frappe.get_doc("Resident Request", request.name)
		log_misses(doc, doc.received_at, (("Contact the Resident", 24), ("Visit the Household", 48)))
		return request.name

	@classmethod
	def make_safety_hazard(cls) -> str:
		hazard = make_hazard(cls.households[1])
		add_check(hazard, "Failed", cls.photos[0], WORKER, explanation="自闭阀未安装")
		add_check(hazard, "Passed", cls.photos[1], MANAGER, check_date=add_days(today(), -1))
		return hazard.name

	@classmethod
	def make_assisted_service(cls) -> str:
		elder = make_resident(
			cls.households[2], full_name="格桑老人", id_number=random_id_number(datetime.date(1940, 3, 2))
		)
		service = start_assisted_service(elder.name, WORKER)
		for user, row in (
			(WORKER, {"document": "户口簿", "action": "Taken", "note": "原件"}),
			(
				MANAGER,
				{
					"document": "身份证",
					"action": "Taken",
					"action_time": add_to_date(now_datetime(), hours=-1),
				},
			),
		):
			frappe.set_user(user)
			service = frappe.get_doc("Assisted Service Request", service.name)
			service.append("custody_log", row)
			service.save()
		frappe.set_user("Administrator")
		return service.name

	@classmethod
	def make_party_member_household(cls) -> str:
		member = make_resident(
			make_household(cls.micro_grid.name).name,
			full_name="强巴",
			is_party_member=1,
			mobile="13908907777",
			id_number=random_id_number(),
		)
		doc = make_party_member_household(member.name, cls.households[:3])
		frappe.set_user(WORKER)
		doc = frappe.get_doc("Party Member Household", doc.name)
		doc.append(
			"contact_log",
			{"contact_date": add_days(today(), -2), "household": cls.households[0], "topic": "邻里纠纷"},
		)
		doc.append(
			"contact_log",
			{
				"contact_date": today(),
				"household": cls.households[1],
				"topic": "政策宣传",
				"outcome": "已知晓",
			},
		)
		doc.save()
		frappe.set_user("Administrator")
		return doc.name

	def new_row(self, child: str) -> dict:
		"""A new row the record's controller accepts."""
		return {
			"Dispute Case Step": {"step": "Joint Handling", "note": "伪造步骤"},
			"Dispute Case Follow-up": {
				"visit_date": today(),
				"result": "再次回访",
				"satisfaction": "Satisfied",
			},
			"Dispute Case Overdue": {"target": "Settlement", "notified_users": WORKER},
			"Resident Request Step": {"state": wf.REQUEST_CLOSED, "note": "伪造步骤"},
			"Resident Request Follow-up": {
				"follow_up_date": today(),
				"reached": 1,
				"contacted": 1,
				"resolved": 1,
				"satisfaction": "Basically Satisfied",
			},
			"Resident Request Chase": {"note": "伪造催办"},
			"Resident Request Overdue": {"target": "Resolve the Request", "notified_users": WORKER},
			"Resident Request Referral": {"department": self.departments[1], "asked": "再次转办"},
			"Document Custody Log": {"document": "银行卡", "action": "Taken"},
			"Safety Hazard Check": {
				"check_date": today(),
				"result": "Passed",
				"result_photo": self.photos[1],
			},
			"Party Member Household Contact": {
				"contact_date": today(),
				"household": self.households[2],
				"topic": "入户走访",
			},
		}[child]

	# Saving as an editor, and what is stored.

	def editors(self, child: str) -> list[str]:
		"""Administrator and a user of each role that may write the record of the history table."""
		parent = HISTORY[child].parent
		writers = {
			perm.role for perm in frappe.get_meta(parent).permissions if perm.write and not perm.permlevel
		}
		self.assertIn(roles.COMMUNITY_MANAGER, writers)
		self.assertEqual(writers - set(ROLE_USERS), set(), "give the test a user of this role")
		return ["Administrator", *(ROLE_USERS[role] for role in sorted(writers))]

	def stored(self, child: str) -> list[dict]:
		history = HISTORY[child]
		fields = [df.fieldname for df in comparable_fields(child)]
		return frappe.get_all(
			child,
			{"parent": self.records[history.parent], "parenttype": history.parent},
			["name", "idx", "owner", "creation", *fields],
			order_by="idx asc",
		)

	def save_as(self, user: str, child: str, change) -> Exception | None:
		"""Load the record as `user`, let `change` edit it, save; the history error if refused, or the
		permission error for a user who may not change the record now."""
		history = HISTORY[child]
		frappe.set_user(user)
		try:
			doc = frappe.get_doc(history.parent, self.records[history.parent])
			change(doc, doc.get(history.table_field))
			doc.save()
		except HistoryRowError as error:
			return error
		except frappe.PermissionError as error:
			self.assertNotIn(user, ALWAYS_EDITING, str(error))
			return error
		finally:
			frappe.set_user("Administrator")
		return None

	def assert_refused(self, user: str, child: str, change, what: str):
		"""Refused with the history error; where Frappe puts back a table the user may not write (rows only
		the app writes, for all but Administrator), the save may go through: the rows stay as stored."""
		before = self.stored(child)
		self.assertGreaterEqual(len(before), 2)
		error = self.save_as(user, child, change)
		self.assertEqual(self.stored(child), before, f"{what}: the stored rows changed")
		if not (HISTORY[child].by_app and user != "Administrator"):
			self.assertIsNotNone(error, f"{what} was not refused")
		if user in ALWAYS_EDITING and error:
			self.assertIsInstance(error, HistoryRowError)

	def test_a_recorded_row_changes_in_no_field(self):
		for child in HISTORY:
			fields = [
				df
				for df in comparable_fields(child)
				if df.fieldname not in HISTORY[child].fill_once or self.stored(child)[0][df.fieldname]
			]
			self.assertTrue(fields)
			for user in self.editors(child):
				for df in fields:
					with self.subTest(child=child, user=user, field=df.fieldname):

						def change(doc, rows, df=df):
							rows[0].set(df.fieldname, other_value(df, rows[0], rows[1]))

						self.assert_refused(user, child, change, f"changing {df.fieldname}")

	def test_recorded_rows_are_not_moved(self):
		def reverse(doc, rows):
			rows.reverse()

		def reverse_and_renumber(doc, rows):
			rows.reverse()
			for idx, row in enumerate(rows, start=1):
				row.idx = idx

		def swap_numbers(doc, rows):
			rows[0].idx, rows[1].idx = rows[1].idx, rows[0].idx

		for child in HISTORY:

			def insert_first(doc, rows, child=child):
				new = doc.append(HISTORY[child].table_field, self.new_row(child))
				rows.remove(new)
				rows.insert(0, new)
				for idx, row in enumerate(rows, start=1):
					row.idx = idx

			for user in self.editors(child):
				for change in (reverse, reverse_and_renumber, swap_numbers, insert_first):
					with self.subTest(child=child, user=user, change=change.__name__):
						self.assert_refused(user, child, change, change.__name__)

	def test_recorded_rows_are_not_removed(self):
		def remove_first(doc, rows):
			doc.remove(rows[0])

		def remove_last(doc, rows):
			doc.remove(rows[-1])

		def remove_all(doc, rows):
			rows.clear()

		for child in HISTORY:
			for user in self.editors(child):
				for change in (remove_first, remove_last, remove_all):
					with self.subTest(child=child, user=user, change=change.__name__):
						self.assert_refused(user, child, change, change.__name__)
				with self.subTest(child=child, user=user, change="delete the row on its own"):
					before = self.stored(child)
					frappe.set_user(user)
					# Refused as history, if not already for the user's rights on the record.
					with self.assertRaises(
						HistoryRowError
						if user == "Administrator"
						else (HistoryRowError, frappe.PermissionError)
					):
						frappe.delete_doc(child, before[0].name)
					frappe.set_user("Administrator")
					self.assertEqual(self.stored(child), before)

	def test_new_rows_carry_the_servers_stamps(self):
		for child, history in HISTORY.items():
			for user in self.editors(child):
				spoofed = MANAGER if user == WORKER else WORKER
				with self.subTest(child=child, user=user):
					before = self.stored(child)
					start = now_datetime().replace(microsecond=0)

					def send_stamps(doc, rows, child=child, history=history, spoofed=spoofed):
						row = doc.append(
							history.table_field,
							{
								**self.new_row(child),
								**dict.fromkeys(history.stamped_by, spoofed),
								**dict.fromkeys(history.stamped_at, LONG_AGO),
								"owner": spoofed,
								"creation": LONG_AGO,
								"name": None,
							},
						)
						row.idx = 1  # asks to go first

					error = self.save_as(user, child, send_stamps)
					after = self.stored(child)
					if isinstance(error, frappe.PermissionError):
						self.assertEqual(after, before)
						continue
					if history.by_app:
						# Rows only the app writes: refused, or dropped by Frappe for a user without the level.
						self.assertEqual(after, before)
						if user == "Administrator":
							self.assertIsNotNone(error)
						continue
					self.assertIsNone(error)
					self.assertEqual(after[: len(before)], before)
					self.assertEqual(len(after), len(before) + 1)
					new = after[-1]
					self.assertEqual(new.idx, before[-1].idx + 1)
					for fieldname in (*history.stamped_by, "owner"):
						self.assertEqual(new[fieldname], user, fieldname)
					for fieldname in (*history.stamped_at, "creation"):
						self.assertGreaterEqual(get_datetime(new[fieldname]), start, fieldname)

	def test_a_departments_answer_is_written_in_once(self):
		frappe.set_user(MANAGER)
		doc = frappe.get_doc("Resident Request", self.records["Resident Request"])
		doc.append("referrals", {"department": self.departments[0], "asked": "请答复"})
		doc.save()
		frappe.set_user(WORKER)
		doc = frappe.get_doc("Resident Request", doc.name)
		doc.referrals[-1].answer = "已答复"
		doc.save()
		self.assertEqual(getdate(doc.referrals[-1].answered_on), getdate())
		doc = frappe.get_doc("Resident Request", doc.name)
		doc.referrals[-1].answer = "改写的答复"
		with self.assertRaisesRegex(HistoryRowError, "cannot be changed"):
			doc.save()

	def test_the_app_still_appends_its_own_rows(self):
		request = self.records["Resident Request"]
		steps = len(frappe.get_doc("Resident Request", request).step_log)
		frappe.set_user(WORKER)
		apply_workflow(frappe.get_doc("Resident Request", request), wf.COMPLETE_FOLLOW_UP)
		frappe.set_user("Administrator")
		doc = frappe.get_doc("Resident Request", request)
		self.assertEqual(len(doc.step_log), steps + 1)
		self.assertEqual((doc.step_log[-1].state, doc.step_log[-1].user), (wf.FOLLOWED_UP, WORKER))


class TestLatestByServerTime(FrappeTestCase):
	""" "Latest" is by the server's stamps, not by a row's place in the table (rows stored before the
	stamps were kept, or written straight to the table, may not be in the order they were recorded)."""

	def test_latest_acceptance_check_and_follow_up(self):
		make_user(WORKER, ["Grid Worker"])
		_community, _grid, micro_grid = make_community_tree(workers=[WORKER])
		household = make_household(micro_grid.name)
		photo = make_photo()
		hazard = make_hazard(household.name)
		now = now_datetime()
		for result, hours in (("Failed", 0), ("Passed", -2)):
			hazard.append(
				"acceptance_checks",
				{
					"check_date": today(),
					"result": result,
					"result_photo": photo,
					"explanation": "未整改",
					"recorded_at": add_to_date(now, hours=hours),
				},
			).db_insert()
		hazard = frappe.get_doc("Safety Hazard", hazard.name)
		self.assertEqual([row.result for row in hazard.acceptance_checks], ["Failed", "Passed"])
		self.assertEqual(hazard.latest_check().result, "Failed")
		self.assertIsNone(hazard.latest_check(since=add_to_date(now, hours=1)))

		request = resolve_in_grid(make_request(household=household.name), WORKER)
		for satisfaction, hours in (("Not Satisfied", 0), ("Satisfied", -2)):
			request.append(
				"follow_ups",
				{
					"follow_up_date": today(),
					"follow_up_method": "Phone",
					"reached": 1,
					"satisfaction": satisfaction,
					"recorded_at": add_to_date(now, hours=hours),
				},
			).db_insert()
		request = frappe.get_doc("Resident Request", request.name)
		request.save()
		self.assertEqual(request.satisfaction, "Not Satisfied")


def log_misses(doc, start, targets):
	"""Overdue-log rows as the overdue job writes them: each target `hours` after `start`, noticed later."""
	for target, hours in targets:
		due = add_to_date(get_datetime(start), hours=hours)
		doc.append(
			"overdue_log",
			{
				"target": target,
				"due_at": due,
				"noticed_at": add_to_date(due, minutes=5),
				"notified_users": WORKER,
			},
		).db_insert()


def other_value(df, row, other_row):
	"""A valid value of the field other than the row's: the other row's where they differ."""
	value, other = row.get(df.fieldname), other_row.get(df.fieldname)
	if comparable(other, df.fieldtype) != comparable(value, df.fieldtype):
		return other
	if df.fieldtype == "Check":
		return 0 if cint(value) else 1
	if df.fieldtype in ("Int", "Float", "Currency", "Percent"):
		return flt(value) + 1
	if df.fieldtype == "Date":
		return add_days(value or today(), -1)
	if df.fieldtype == "Datetime":
		return add_to_date(value or now_datetime(), hours=-1)
	if df.fieldtype == "Select":
		return next(option for option in (df.options or "").split("\n") if option and option != value)
	if df.fieldtype == "Link":
		if df.options == "User":
			return next(user for user in ("Administrator", MANAGER) if user != value)
		return None
	return (value or "") + "（改）"
