# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import json

import frappe
from frappe.desk.desktop import get_desktop_page
from frappe.model.workflow import WorkflowPermissionError, WorkflowTransitionError, apply_workflow
from frappe.tests.utils import FrappeTestCase, change_settings
from frappe.utils import today

from wangge_app.test_utils import (
	activate_party_member_household,
	apply_workflow_as,
	make_community_tree,
	make_grid,
	make_household,
	make_party_member_household,
	make_resident,
	make_user,
	pdf_text,
	render_pdf,
	scope_user_to_grid,
)

WORKER = "pmh-worker@example.com"
OTHER_WORKER = "pmh-other-worker@example.com"
SECRETARY = "pmh-secretary@example.com"
COMMITTEE = "pmh-committee@example.com"
MANAGER = "pmh-manager@example.com"


class PartyBuildingTestCase(FrappeTestCase):
	"""A community with one grid (a micro-grid under it) and a neighbouring grid, 24 households each side."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(WORKER, ["Grid Worker"], first_name="卓玛", mobile_no="13908901234")
		make_user(OTHER_WORKER, ["Grid Worker"])
		make_user(SECRETARY, ["Grid Party Branch Secretary"])
		make_user(COMMITTEE, ["Community Party Committee"])
		make_user(MANAGER, ["Community Manager"])
		cls.community, cls.grid, cls.micro_grid = make_community_tree(workers=[WORKER])
		cls.other_grid = make_grid("Grid", cls.community.name, workers=[OTHER_WORKER])
		scope_user_to_grid(SECRETARY, cls.community.name)
		# Neighbours: half in the grid itself, half in its micro-grid.
		cls.neighbours = [
			make_household(cls.grid.name if i % 2 else cls.micro_grid.name).name for i in range(24)
		]
		cls.foreign = [make_household(cls.other_grid.name).name for _ in range(3)]

	def setUp(self):
		# Each test starts from the class's data: central households of one test don't serve in another.
		frappe.db.savepoint("party_building_test")
		self.addCleanup(frappe.db.rollback, save_point="party_building_test")
		self.addCleanup(frappe.set_user, "Administrator")

	def make_party_member(self, grid: str | None = None, **fields):
		household = make_household(grid or self.micro_grid.name)
		return make_resident(
			household.name, full_name="强巴", is_party_member=1, mobile="13908907777", **fields
		)

	def status_of(self, doc) -> str:
		return frappe.db.get_value(doc.doctype, doc.name, "status")


class TestPartyMemberHousehold(PartyBuildingTestCase):
	def test_household_grid_and_phone_follow_the_party_member(self):
		member = self.make_party_member()
		doc = make_party_member_household(member.name, self.neighbours[:3])
		self.assertEqual(doc.status, "Applied")
		self.assertEqual(doc.household, member.household)
		self.assertEqual(doc.grid, self.micro_grid.name)
		self.assertEqual(doc.party_member_name, "强巴")
		self.assertEqual(doc.contact_phone, "13908907777")
		self.assertEqual(doc.served_household_count, 3)

	def test_served_household_bounds_at_the_edges(self):
		member = self.make_party_member()
		doc = make_party_member_household(member.name, self.neighbours[:9])
		apply_workflow_as(SECRETARY, doc, "Pass Branch Review")

		# 9 households: approval is refused and nothing changes.
		with self.assertRaisesRegex(frappe.ValidationError, "serves 10 to 20 households; this one lists 9"):
			apply_workflow_as(COMMITTEE, doc, "Approve")
		self.assertEqual(self.status_of(doc), "Branch Approved")
		self.assertIsNone(frappe.db.get_value(doc.doctype, doc.name, "designation_date"))

		# 10 households: approved.
		doc.reload()
		doc.append("served_households", {"household": self.neighbours[9]})
		doc.save()
		apply_workflow_as(COMMITTEE, doc, "Approve")
		doc.reload()
		self.assertEqual((doc.status, str(doc.designation_date)), ("Designated", today()))

		# 20 is the most an active central household may serve; 21 is refused.
		for household in self.neighbours[10:20]:
			doc.append("served_households", {"household": household})
		doc.save()
		self.assertEqual(frappe.db.get_value(doc.doctype, doc.name, "served_household_count"), 20)
		doc.append("served_households", {"household": self.neighbours[20]})
		with self.assertRaisesRegex(frappe.ValidationError, "this one lists 21"):
			doc.save()
		self.assertEqual(frappe.db.count("Served Household", {"parent": doc.name}), 20)

		# Down to 10 is fine while active, 9 is not.
		doc.reload()
		doc.served_households = doc.served_households[:10]
		doc.save()
		doc.served_households = doc.served_households[:9]
		with self.assertRaisesRegex(frappe.ValidationError, "this one lists 9"):
			doc.save()
		self.assertEqual(frappe.db.count("Served Household", {"parent": doc.name}), 10)

	@change_settings("Party Building Settings", {"min_served_households": 3, "max_served_households": 5})
	def test_bounds_come_from_the_settings(self):
		member = self.make_party_member()
		doc = make_party_member_household(member.name, self.neighbours[:6])
		apply_workflow_as(SECRETARY, doc, "Pass Branch Review")
		with self.assertRaisesRegex(frappe.ValidationError, "serves 3 to 5 households; this one lists 6"):
			apply_workflow_as(COMMITTEE, doc, "Approve")

		settings = frappe.get_doc("Party Building Settings")
		settings.max_served_households = 2
		with self.assertRaisesRegex(frappe.ValidationError, "cannot be below the minimum"):
			settings.save()

	def test_household_served_by_another_active_party_member_household_is_refused(self):
		first = make_party_member_household(self.make_party_member().name, self.neighbours[:10])
		activate_party_member_household(first, SECRETARY, COMMITTEE)

		count = frappe.db.count("Party Member Household")
		second_member = self.make_party_member()
		with self.assertRaisesRegex(
			frappe.ValidationError, "already served by the central household of .*强巴"
		):
			make_party_member_household(second_member.name, [self.neighbours[10], self.neighbours[3]])
		self.assertEqual(frappe.db.count("Party Member Household"), count)

		# An application made before the first became active fails at approval.
		second = make_party_member_household(second_member.name, self.neighbours[10:20])
		apply_workflow_as(SECRETARY, second, "Pass Branch Review")
		second.reload()
		second.served_households[0].household = self.neighbours[0]
		with self.assertRaisesRegex(frappe.ValidationError, "already served"):
			second.save()

		# Once the first withdraws, its households are free again.
		apply_workflow_as(COMMITTEE, first, "Withdraw")
		self.assertEqual(self.status_of(first), "Withdrawn")
		self.assertEqual(str(frappe.db.get_value(first.doctype, first.name, "withdrawal_date")), today())
		second.reload()
		second.served_households[0].household = self.neighbours[0]
		second.save()
		apply_workflow_as(COMMITTEE, second, "Approve")
		self.assertEqual(self.status_of(second), "Designated")

	def test_non_party_member_is_refused(self):
		household = make_household(self.micro_grid.name)
		resident = make_resident(household.name, full_name="多吉", is_party_member=0)
		count = frappe.db.count("Party Member Household")
		with self.assertRaisesRegex(frappe.ValidationError, "多吉.* is not registered as a party member"):
			make_party_member_household(resident.name, self.neighbours[:10])
		self.assertEqual(frappe.db.count("Party Member Household"), count)

	def test_served_household_outside_the_grid_is_refused(self):
		member = self.make_party_member()
		count = frappe.db.count("Party Member Household")
		with self.assertRaisesRegex(frappe.ValidationError, "Row 2: .* lies outside"):
			make_party_member_household(member.name, [self.neighbours[0], self.foreign[0]])
		self.assertEqual(frappe.db.count("Party Member Household"), count)
		# The grid's own households and those of its micro-grids are in the same grid.
		doc = make_party_member_household(member.name, self.neighbours[:2])
		self.assertEqual(
			{frappe.db.get_value("Household", row.household, "grid") for row in doc.served_households},
			{self.grid.name, self.micro_grid.name},
		)

	def test_party_member_household_does_not_serve_itself_or_list_twice(self):
		member = self.make_party_member()
		with self.assertRaisesRegex(frappe.ValidationError, "does not serve itself"):
			make_party_member_household(member.name, [self.neighbours[0], member.household])
		with self.assertRaisesRegex(frappe.ValidationError, "listed twice"):
			make_party_member_household(member.name, [self.neighbours[0], self.neighbours[0]])

	def test_one_open_record_per_household(self):
		member = self.make_party_member()
		make_party_member_household(member.name, self.neighbours[:2])
		with self.assertRaises(frappe.DuplicateEntryError):
			make_party_member_household(member.name, self.neighbours[2:4])

	def test_contact_log_names_a_served_household(self):
		doc = make_party_member_household(self.make_party_member().name, self.neighbours[:2])
		doc.append(
			"contact_log", {"household": self.neighbours[5], "topic": "邻里纠纷", "contact_date": today()}
		)
		with self.assertRaisesRegex(frappe.ValidationError, "not one of the households served"):
			doc.save()
		doc.reload()
		doc.append(
			"contact_log", {"household": self.neighbours[1], "topic": "邻里纠纷", "contact_date": today()}
		)
		doc.save()
		self.assertEqual(frappe.db.count("Party Member Household Contact", {"parent": doc.name}), 1)

	def test_all_commitments_are_needed_for_approval(self):
		doc = make_party_member_household(
			self.make_party_member().name, self.neighbours[:10], commit_advice=0
		)
		apply_workflow_as(SECRETARY, doc, "Pass Branch Review")
		with self.assertRaisesRegex(frappe.ValidationError, "Offer Advice and Suggestions"):
			apply_workflow_as(COMMITTEE, doc, "Approve")
		self.assertEqual(self.status_of(doc), "Branch Approved")


class TestPartyMemberHouseholdWorkflow(PartyBuildingTestCase):
	# Which actions each role has in each state; every other action is forbidden.
	ALLOWED = {
		"Applied": {SECRETARY: {"Pass Branch Review", "Reject"}},
		"Branch Approved": {COMMITTEE: {"Approve", "Reject"}},
		"Designated": {COMMITTEE: {"Withdraw"}},
		"Withdrawn": {},
		"Rejected": {},
	}
	ACTIONS = {"Pass Branch Review", "Approve", "Reject", "Withdraw"}
	USERS = (WORKER, SECRETARY, COMMITTEE, MANAGER)

	def test_only_the_state_owner_edits_through_the_api(self):
		member = self.make_party_member()
		doc = activate_party_member_household(
			make_party_member_household(member.name, self.neighbours[:10]), SECRETARY, COMMITTEE
		)
		apply_workflow_as(COMMITTEE, doc, "Withdraw")
		# A withdrawn record belongs to the committee: the grid worker may no longer change it.
		frappe.set_user(WORKER)
		withdrawn = frappe.get_doc(doc.doctype, doc.name)
		withdrawn.append("served_households", {"household": self.neighbours[10]})
		with self.assertRaises(frappe.PermissionError):
			withdrawn.save()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.count("Served Household", {"parent": doc.name}), 10)

	def test_application_review_approval_withdrawal(self):
		member = self.make_party_member()
		frappe.set_user(WORKER)
		doc = make_party_member_household(member.name, self.neighbours[:12])
		self.assertEqual(doc.status, "Applied")
		frappe.set_user("Administrator")

		apply_workflow_as(SECRETARY, doc, "Pass Branch Review")
		self.assertEqual(self.status_of(doc), "Branch Approved")
		apply_workflow_as(COMMITTEE, doc, "Approve")
		self.assertEqual(self.status_of(doc), "Designated")
		# The grid worker keeps the contact log of an active central household.
		frappe.set_user(WORKER)
		doc = frappe.get_doc(doc.doctype, doc.name)
		doc.append(
			"contact_log",
			{
				"household": self.neighbours[0],
				"contact_date": today(),
				"topic": "政策宣传",
				"outcome": "已入户讲解",
			},
		)
		doc.save()
		frappe.set_user("Administrator")
		apply_workflow_as(COMMITTEE, doc, "Withdraw")
		self.assertEqual(self.status_of(doc), "Withdrawn")
		comments = frappe.get_all(
			"Comment", {"reference_name": doc.name, "comment_type": "Workflow"}, pluck="content"
		)
		self.assertEqual(len(comments), 3)

	def test_rejection_by_branch_and_by_committee(self):
		first = make_party_member_household(self.make_party_member().name, self.neighbours[:10])
		apply_workflow_as(SECRETARY, first, "Reject")
		self.assertEqual(self.status_of(first), "Rejected")
		second = make_party_member_household(self.make_party_member().name, self.neighbours[:10])
		apply_workflow_as(SECRETARY, second, "Pass Branch Review")
		apply_workflow_as(COMMITTEE, second, "Reject")
		self.assertEqual(self.status_of(second), "Rejected")

	def test_each_role_has_only_its_own_transitions(self):
		for state, allowed in self.ALLOWED.items():
			doc = self.party_member_household_in(state)
			for user in self.USERS:
				frappe.set_user(user)
				offered = {t.action for t in frappe.model.workflow.get_transitions(doc)}
				self.assertEqual(offered, allowed.get(user, set()), f"{user} in {state}")
				for action in self.ACTIONS - allowed.get(user, set()):
					with self.assertRaises(WorkflowTransitionError, msg=f"{user}: {action} in {state}"):
						apply_workflow(frappe.get_doc(doc.doctype, doc.name), action)
					self.assertEqual(self.status_of(doc), state)
			frappe.set_user("Administrator")

	def test_status_cannot_be_set_by_hand(self):
		doc = make_party_member_household(self.make_party_member().name, self.neighbours[:10])
		frappe.set_user(WORKER)
		doc = frappe.get_doc(doc.doctype, doc.name)
		doc.status = "Designated"
		with self.assertRaises(WorkflowPermissionError):
			doc.save()
		self.assertEqual(self.status_of(doc), "Applied")

	def test_secretary_cannot_apply(self):
		member = self.make_party_member()
		frappe.set_user(SECRETARY)
		with self.assertRaises(frappe.PermissionError):
			make_party_member_household(member.name, self.neighbours[:10])

	def party_member_household_in(self, state: str):
		doc = make_party_member_household(self.make_party_member().name)
		path = {
			"Applied": [],
			"Branch Approved": [(SECRETARY, "Pass Branch Review")],
			"Designated": [(SECRETARY, "Pass Branch Review"), (COMMITTEE, "Approve")],
			"Withdrawn": [(SECRETARY, "Pass Branch Review"), (COMMITTEE, "Approve"), (COMMITTEE, "Withdraw")],
			"Rejected": [(SECRETARY, "Reject")],
		}[state]
		if state in ("Designated", "Withdrawn"):
			for household in self.neighbours[:10] if state == "Designated" else self.neighbours[10:20]:
				doc.append("served_households", {"household": household})
			doc.save()
		for user, action in path:
			apply_workflow_as(user, doc, action)
		doc.reload()
		self.assertEqual(doc.status, state)
		return doc


class TestPartyMemberHouseholdGridScope(PartyBuildingTestCase):
	def test_grid_worker_applies_in_own_grid_only(self):
		own_member = self.make_party_member()
		foreign_member = self.make_party_member(self.other_grid.name)
		foreign_doc = make_party_member_household(foreign_member.name, self.foreign[:2])

		frappe.set_user(WORKER)
		own_doc = make_party_member_household(own_member.name, self.neighbours[:10])
		count = frappe.db.count("Party Member Household")
		# Frappe checks the grid, fetched from the party member's household, before anything is saved.
		with self.assertRaises(frappe.PermissionError):
			make_party_member_household(foreign_member.name, self.foreign[2:3])
		self.assertEqual(frappe.db.count("Party Member Household"), count)

		visible = set(frappe.get_list("Party Member Household", pluck="name", limit_page_length=0))
		self.assertIn(own_doc.name, visible)
		self.assertNotIn(foreign_doc.name, visible)
		self.assertTrue(frappe.has_permission("Party Member Household", "write", doc=own_doc.name))
		self.assertFalse(frappe.has_permission("Party Member Household", "read", doc=foreign_doc.name))

		frappe.set_user(OTHER_WORKER)
		self.assertEqual(
			frappe.get_list("Party Member Household", pluck="name", limit_page_length=0), [foreign_doc.name]
		)

	def test_unassigned_grid_worker_sees_no_party_member_households(self):
		make_party_member_household(self.make_party_member().name, self.neighbours[:2])
		make_user("pmh-idle-worker@example.com", ["Grid Worker"])
		frappe.set_user("pmh-idle-worker@example.com")
		self.assertEqual(frappe.get_list("Party Member Household", limit_page_length=0), [])


class TestPartyMemberHouseholdNotice(PartyBuildingTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.db.set_value("Grid", cls.community.name, "party_branch", "幸福社区党委")
		frappe.db.set_value("Grid", cls.grid.name, "grid_name", "幸福社区第一网格")
		frappe.db.set_value("Grid", cls.micro_grid.name, "grid_name", "1号微网格")
		household = make_household(cls.micro_grid.name, building="7", unit="2", room="301")
		member = make_resident(household.name, full_name="强巴", is_party_member=1, mobile="13908907777")
		cls.notice = make_party_member_household(member.name, cls.neighbours[:10])
		activate_party_member_household(cls.notice, SECRETARY, COMMITTEE)
		cls.served_addresses = [frappe.db.get_value("Household", h, "address") for h in cls.neighbours[:10]]

	def test_notice_html(self):
		html = frappe.get_print("Party Member Household", self.notice.name, "Party Member Household Notice")
		for text in (
			"党员中心户公示牌",
			"幸福社区第一网格 / 1号微网格",
			"强巴",
			"13908907777",
			"7栋2单元301室",
			"卓玛",
			"13908901234",
			"联系服务住户（10户）",
			"遵纪守法",
			"融入社区",
			"幸福社区党委",
			*self.served_addresses,
		):
			self.assertIn(text, html)

	def test_notice_pdf_has_chinese_text(self):
		reader = render_pdf("Party Member Household", self.notice.name, "Party Member Household Notice")
		text = pdf_text(reader)
		for expected in (
			"党员中心户公示牌",
			"幸福社区第一网格/1号微网格",
			"党员姓名强巴",
			"13908907777",
			"卓玛",
			"13908901234",
			"联系服务住户（10户）",
			"遵纪守法",
			"建言献策",
			"幸福社区党委",
			*(address.replace(" ", "") for address in self.served_addresses),
		):
			self.assertIn(expected, text)
		self.assertEqual(len(reader.pages), 1)


class TestPartyBuildingDesk(PartyBuildingTestCase):
	def test_grid_form_shows_its_party_member_households(self):
		make_party_member_household(self.make_party_member().name, self.neighbours[:2])
		make_party_member_household(self.make_party_member().name, self.neighbours[2:4])
		# As the form's connections panel asks: the engine's method, overridden by the app's guard.
		counts = frappe.call(open_count_method(), doctype="Grid", name=self.micro_grid.name)["count"]
		self.assertIn(
			{"doctype": "Party Member Household", "count": 2, "open_count": 0}, counts["external_links_found"]
		)
		groups = {
			group["label"]: group["items"]
			for group in frappe.get_meta("Grid").get_dashboard_data().transactions
		}
		self.assertEqual(groups["Party Building"], ["Party Member Household"])

	def test_workspace_shows_coverage_card_reports_and_doctypes(self):
		frappe.set_user(COMMITTEE)
		page = get_desktop_page(json.dumps({"name": "Party Building", "title": "Party Building"}))
		self.assertEqual(
			[card.number_card_name for card in page["number_cards"]["items"]],
			["Party Member Household Coverage"],
		)
		links = {link.link_to for card in page["cards"]["items"] for link in card.links}
		self.assertTrue(
			{
				"Party Member Household",
				"Party Member Household Coverage",
				"Party Mass Service Station",
				"Service Station Log",
				"Service Station Monthly Totals",
			}
			<= links
		)
		card = frappe.get_doc("Number Card", "Party Member Household Coverage")
		self.assertEqual(frappe.get_attr(card.method)()["fieldtype"], "Percent")


class TestPartyMemberHouseholdErrorMessages(PartyBuildingTestCase):
	"""Issue 10, finding 12: errors name other households and who serves them only to those who may read them."""

	MICRO_WORKER = "pmh-micro-worker@example.com"

	def setUp(self):
		super().setUp()
		# A grid worker of the micro-grid only: the grid's own households are out of their sight.
		make_user(self.MICRO_WORKER, ["Grid Worker"])
		micro_grid = frappe.get_doc("Grid", self.micro_grid.name)
		micro_grid.append("grid_workers", {"user": self.MICRO_WORKER})
		micro_grid.save()
		self.in_grid = [
			name
			for name in self.neighbours
			if frappe.db.get_value("Household", name, "grid") == self.grid.name
		]
		self.in_micro = [name for name in self.neighbours if name not in self.in_grid]

	def refused(self, doc_or_builder, *args) -> str:
		"""The error and everything shown with it, of a save that must fail."""
		frappe.clear_messages()
		with self.assertRaises(
			(frappe.ValidationError, frappe.DuplicateEntryError, frappe.PermissionError)
		) as raised:
			doc_or_builder(*args)
		return str(raised.exception) + json.dumps(frappe.message_log, default=str)

	def assert_says_nothing_of(self, message: str, *secrets: str):
		for secret in secrets:
			self.assertNotIn(secret, message)

	def test_finding_12_error_messages_leak(self):
		# A designated central household of the grid serves households of the grid itself.
		server = make_resident(make_household(self.grid.name).name, full_name="次旺罗布", is_party_member=1)
		designated = make_party_member_household(server.name, self.in_grid[:10])
		activate_party_member_household(designated, SECRETARY, COMMITTEE)
		served = self.in_grid[0]
		served_address = frappe.db.get_value("Household", served, "address")
		foreign_address = frappe.db.get_value("Household", self.foreign[0], "address")
		member = self.make_party_member()  # in the micro-grid
		count = frappe.db.count("Party Member Household")

		frappe.set_user(self.MICRO_WORKER)
		self.assertFalse(frappe.has_permission("Household", "read", doc=served))
		self.assertFalse(frappe.has_permission("Party Member Household", "read", doc=designated.name))
		# A household the worker cannot read, served elsewhere: refused before anything of it is read,
		# so neither its address nor who serves it is told.
		message = self.refused(make_party_member_household, member.name, [self.in_micro[0], served])
		self.assertIn("lies outside your grids", message)
		self.assertIn(served, message)  # the ID the worker typed in
		self.assert_says_nothing_of(message, served_address, "次旺罗布", designated.name)
		# A household of another grid: not its address either.
		message = self.refused(make_party_member_household, member.name, [self.foreign[0]])
		self.assertIn("lies outside", message)
		self.assert_says_nothing_of(message, foreign_address)
		message = self.refused(make_party_member_household, member.name, [self.in_grid[11], self.in_grid[11]])
		self.assertIn("lies outside your grids", message)
		self.assert_says_nothing_of(message, frappe.db.get_value("Household", self.in_grid[11], "address"))
		self.assertEqual(frappe.db.count("Party Member Household"), count)

		# The grid's worker may read both, and is told everything as before.
		frappe.set_user(WORKER)
		message = self.refused(make_party_member_household, member.name, [self.in_micro[0], served])
		self.assertIn("次旺罗布", message)
		self.assertIn(served_address, message)

	def test_finding_12_open_record_of_the_household_out_of_sight(self):
		member = self.make_party_member()
		earlier = make_party_member_household(member.name, self.in_micro[:2])
		# The earlier record still stands in the grid the household was in before (not yet saved since).
		frappe.db.set_value("Party Member Household", earlier.name, "grid", self.other_grid.name)

		frappe.set_user(self.MICRO_WORKER)
		self.assertFalse(frappe.has_permission("Party Member Household", "read", doc=earlier.name))
		message = self.refused(make_party_member_household, member.name, self.in_micro[2:4])
		self.assertIn("already has a central household record", message)
		self.assert_says_nothing_of(message, earlier.name)

		frappe.set_user(WORKER)
		frappe.db.set_value("Party Member Household", earlier.name, "grid", self.micro_grid.name)
		message = self.refused(make_party_member_household, member.name, self.in_micro[2:4])
		self.assertIn(earlier.name, message)


def open_count_method():
	name = "frappe.desk.notifications.get_open_count"
	return frappe.get_attr(frappe.get_hooks("override_whitelisted_methods").get(name, [name])[-1])
