# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The overview (七在网格) and a grid worker's page (我的网格): the figures of the indicators on a known
community, as its scoped manager and its grid worker read them; each role's first page; Frappe's own
workspaces hidden from the roles that do not use them."""

import json

import frappe
from frappe.desk.desktop import get_workspace_sidebar_items
from frappe.desk.doctype.number_card.number_card import get_result
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, now_datetime

from wangge_app import overview
from wangge_app.desk_setup import CORE_WORKSPACE_ROLES, set_up_desk
from wangge_app.mediation.doctype.dispute_case.test_dispute_case import make_dispute_case
from wangge_app.resident_services.doctype.household_visit.test_household_visit import make_visit
from wangge_app.resident_services.test_utils import make_request
from wangge_app.test_utils import (
	make_community_tree,
	make_household,
	make_resident,
	make_user,
	random_birth_date,
	scope_user_to_grid,
)
from wangge_app.volunteer.test_utils import make_activity, make_party_member, make_work_unit
from wangge_app.workflows import CASE_CLOSED

MANAGER = "overview-manager@example.com"
WORKER = "overview-worker@example.com"
COMMITTEE = "overview-committee@example.com"
MEDIATOR = "overview-mediator@example.com"
SYSTEM_MANAGER = "overview-system-manager@example.com"


def figure(name: str):
	"""The indicator's figure as its Number Card shows it to the session user."""
	card = frappe.get_doc("Number Card", name)
	if card.type == "Custom":
		return frappe.get_attr(card.method)(filters=card.filters_json)["value"]
	return get_result(card.as_dict(), card.filters_json)


class TestOverview(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(MANAGER, ["Community Manager"])
		make_user(WORKER, ["Grid Worker"])
		make_user(COMMITTEE, ["Community Party Committee"])
		make_user(MEDIATOR, ["Community Mediator"])
		make_user(SYSTEM_MANAGER, ["System Manager"])
		# A known data set: the grids of an earlier run are no longer theirs.
		frappe.db.delete("User Permission", {"user": ("in", (MANAGER, WORKER, MEDIATOR))})
		community, grid, micro = make_community_tree(workers=[WORKER])
		scope_user_to_grid(MANAGER, community.name)
		# The mediator's view: a community of its own, with no households.
		scope_user_to_grid(MEDIATOR, make_community_tree()[0].name)
		cls.grid = grid.name
		# Three cases: one open and overdue, due today; one settled in the grid; one settled after
		# escalation to the community.
		open_case = make_dispute_case(grid.name)
		frappe.db.set_value(
			"Dispute Case",
			open_case.name,
			{"is_overdue": 1, "next_due_by": now_datetime().replace(hour=12, minute=0, second=0)},
		)
		in_grid = make_dispute_case(grid.name)
		escalated = make_dispute_case(grid.name)
		frappe.db.set_value(
			"Dispute Case",
			in_grid.name,
			{"workflow_state": CASE_CLOSED, "outcome": "Agreement Reached", "tier": "Ordinary"},
		)
		frappe.db.set_value(
			"Dispute Case",
			escalated.name,
			{
				"workflow_state": CASE_CLOSED,
				"outcome": "Agreement Reached",
				"tier": "Complex",
				"escalated_at": now_datetime(),
			},
		)
		cls.open_case = open_case.name
		# Two members: 3 points each at one activity, 2 more to the first at another.
		work_unit = make_work_unit()
		members = [make_party_member(work_unit.name, grid=grid.name).name for _ in range(2)]
		make_activity(members, points=3, grid=grid.name)
		make_activity(members[:1], points=2, grid=grid.name)
		# Two households of the micro-grid, one of an elderly resident living alone, with a resident.
		alone = make_household(micro.name, elderly_living_alone=1)
		make_household(micro.name)
		make_resident(alone.name, full_name="次仁卓玛", date_of_birth=random_birth_date())
		# Another elderly resident living alone, visited last week: not among those not visited.
		visited = make_household(micro.name, elderly_living_alone=1)
		make_visit(visited.name, visit_date=add_days(getdate(), -7))
		# A request in hand, overdue and due today.
		request = make_request(grid.name)
		frappe.db.set_value(
			"Resident Request",
			request.name,
			{"is_overdue": 1, "next_due_by": now_datetime().replace(hour=12, minute=0, second=0)},
		)
		set_up_desk()

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_figures_of_a_community_as_its_manager_reads_them(self):
		frappe.set_user(MANAGER)
		self.assertEqual(figure("Dispute Cases in Hand"), 1)
		self.assertEqual(figure("Overdue Dispute Cases"), 1)
		self.assertEqual(figure("Escalated and Referred Cases in Hand"), 0)
		self.assertEqual(figure("Share of Cases Resolved in the Grid"), 50.0)
		self.assertEqual(figure("In-service Party Members"), 2)
		self.assertEqual(figure("Volunteer Points Earned"), 8)
		self.assertEqual(figure("Activities per Member"), 1.5)

	def test_my_grid_today_as_the_grid_worker_reads_it(self):
		frappe.set_user(WORKER)
		self.assertEqual(figure("Dispute Cases Due Today"), 1)
		self.assertEqual(figure("Overdue Dispute Cases"), 1)
		self.assertEqual(figure("Elderly Living Alone"), 2)
		self.assertEqual(figure("Elderly Living Alone Not Visited for 30 Days"), 1)
		self.assertEqual(figure("New Residents This Month"), 1)
		self.assertEqual(figure("Resident Requests in Hand"), 1)
		self.assertEqual(figure("Overdue Resident Requests"), 1)
		self.assertEqual(figure("Resident Requests Due Today"), 1)

	def test_each_indicator_opens_its_records(self):
		overdue = overview.indicator("Overdue Dispute Cases")
		self.assertEqual(
			overdue.route(),
			"/app/dispute-case?is_overdue=1&workflow_state=%5B%22%21%3D%22%2C+%22Case+Closed%22%5D",
		)
		self.assertEqual(
			overview.indicator("Share of Cases Resolved in the Grid").route(),
			"/app/query-report/Dispute Case Statistics",
		)
		content = json.loads(frappe.db.get_value("Workspace", overview.OVERVIEW, "content"))
		paragraphs = [block["data"]["text"] for block in content if block["type"] == "paragraph"]
		self.assertIn("/app/dispute-case?is_overdue=1", "".join(paragraphs))
		self.assertIn("未结案且错过时限", "".join(paragraphs))

	def test_a_figure_needs_read_permission_on_its_records(self):
		frappe.set_user(COMMITTEE)  # reads central households, not dispute cases
		with self.assertRaises(frappe.PermissionError):
			overview.get_figure(json.dumps({"indicator": "Share of Cases Resolved in the Grid"}))
		self.assertIsNotNone(
			overview.get_figure(json.dumps({"indicator": "Households Served by Central Households"}))
		)

	def test_a_figure_needs_read_permission_on_everything_it_reads(self):
		# A mediator reads households, not household visits: refused, though their view holds no elderly
		# resident living alone (the figure would otherwise fail only once it holds one).
		indicator = json.dumps({"indicator": "Elderly Living Alone Not Visited for 30 Days"})
		frappe.set_user(MEDIATOR)
		self.assertTrue(frappe.has_permission("Household", "read"))
		self.assertFalse(frappe.get_list("Household", {"elderly_living_alone": 1}))
		with self.assertRaises(frappe.PermissionError):
			overview.get_figure(indicator)
		frappe.set_user(WORKER)
		self.assertEqual(overview.get_figure(indicator)["value"], 1)

	def test_workspaces_hold_every_declared_indicator_once(self):
		set_up_desk()  # again: nothing is added twice
		for page in (overview.MY_GRID, overview.OVERVIEW):
			workspace = frappe.get_doc("Workspace", page)
			cards = [row.number_card_name for row in workspace.number_cards]
			self.assertEqual(cards, [i.name for i in overview.INDICATORS if page in i.pages])
			charts = [row.chart_name for row in workspace.charts]
			self.assertEqual(charts, [t.name for t in overview.TRENDS if page in t.pages])
			blocks = json.loads(workspace.content)
			self.assertEqual(len([b for b in blocks if b["type"] == "number_card"]), len(cards))

	def test_a_managers_change_to_a_card_stays(self):
		frappe.db.set_value("Number Card", "Vouchers Used", "color", "#000000")
		set_up_desk()
		self.assertEqual(frappe.db.get_value("Number Card", "Vouchers Used", "color"), "#000000")

	def test_each_role_opens_on_its_own_page(self):
		for user, first in (
			(WORKER, overview.MY_GRID),
			(MANAGER, overview.OVERVIEW),
			(COMMITTEE, overview.OVERVIEW),
		):
			frappe.set_user(user)
			frappe.cache.delete_value("user_allowed_modules", user=user)
			pages = [page.name for page in get_workspace_sidebar_items()["pages"]]
			self.assertEqual(pages[0], first, user)
			self.assertFalse(set(CORE_WORKSPACE_ROLES) & set(pages), f"{user} sees {pages}")
		frappe.set_user(SYSTEM_MANAGER)
		pages = [page.name for page in get_workspace_sidebar_items()["pages"]]
		self.assertLessEqual(set(CORE_WORKSPACE_ROLES) - {"Website"}, set(pages))

	def test_core_workspaces_get_their_roles_back_after_an_update(self):
		frappe.db.delete("Has Role", {"parenttype": "Workspace", "parent": "Build"})
		set_up_desk()
		self.assertEqual(
			frappe.get_all("Has Role", {"parenttype": "Workspace", "parent": "Build"}, pluck="role"),
			["System Manager"],
		)

	def test_every_text_of_the_overview_is_in_chinese(self):
		texts = {
			overview.OVERVIEW,
			overview.MY_GRID,
			"Monthly Trends",
			"Open the records",
			overview.REPORTS_CARD,
		}
		texts |= set(overview.OVERVIEW_REPORTS)
		for declared in overview.INDICATORS:
			texts |= {declared.name, declared.definition, declared.area}
		texts |= {trend.name for trend in overview.TRENDS}
		untranslated = sorted(text for text in texts if frappe._(text, lang="zh") == text)
		self.assertEqual(untranslated, [])

	def test_monthly_charts_show_whole_month_labels(self):
		from wangge_app.overview.indicators import TRENDS

		for trend in TRENDS:
			options = frappe.db.get_value("Dashboard Chart", trend.name, "custom_options")
			if trend.group_by:
				continue
			# A series axis shows some months' labels whole instead of every label cut to "20..".
			self.assertEqual(json.loads(options)["axisOptions"]["xIsSeries"], 1, trend.name)

	def test_charts_count_the_viewers_records_by_month_and_group(self):
		frappe.set_user(MANAGER)
		by_month = overview.get_trend("Dispute Cases by Month")
		self.assertEqual(len(by_month["labels"]), 12)
		self.assertEqual(sum(by_month["datasets"][0]["values"]), 3)  # this month's three cases
		self.assertEqual(by_month["datasets"][0]["values"][-1], 3)
		lang, frappe.local.lang = frappe.local.lang, "zh"
		try:
			by_tier = overview.get_trend("Dispute Cases by Tier")
			this_month = overview.get_trend("Dispute Cases by Month")["labels"][-1]
		finally:
			frappe.local.lang = lang
		self.assertEqual(
			dict(zip(by_tier["labels"], by_tier["datasets"][0]["values"], strict=True)),
			{"一般": 2, "复杂": 1},
		)
		today = frappe.utils.getdate()
		self.assertEqual(this_month, f"{today.year}年{today.month}月")
		frappe.set_user(COMMITTEE)
		with self.assertRaises(frappe.PermissionError):
			overview.get_trend("Dispute Cases by Month")
