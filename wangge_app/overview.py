# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The figures of the seven areas (七在网格) and of a grid worker's day, declared once each.

An `Indicator` says what is counted (its definition, shown beside the figure), over which records
(`doctype` and `filters`, which are also the records its link opens) and, for a figure that is not a
count of those records (a share, an average), the function that works it out. From the declarations
follow, on install and on every migrate (`sync_overview`):

- one Number Card per indicator (created when missing, so a manager's changes to it stay);
- the workspaces *Seven in the Grid* (七在网格, community and district staff) and *My Grid Today*
  (我的网格, grid workers): each indicator's card with its definition and a link to its records beside
  it, under its area's heading, and the trend charts of `TRENDS`. A workspace is created when missing;
  afterwards only indicators and charts not yet on it are added, below what a manager arranged.

Every figure is read through the permission layer (frappe.get_list and the reports, which follow
`wangge_app.permissions`), so each viewer sees the figures of their own scope: a grid worker their
grids, a community's staff their community, a district manager the district.

Adding an area (requests, hazards, community life) is adding its `Indicator`s (and `Trend`s) below.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import frappe
from frappe import _
from frappe.utils import escape_html

from wangge_app.utils.validation import json_argument
from wangge_app.workflows import CASE_CLOSED, HAZARD_CLOSED, REFERRED_TO_DEPARTMENT, REQUEST_CLOSED

OVERVIEW = "Seven in the Grid"
MY_GRID = "My Grid Today"
# The roles that open each page first (their first workspace in the sidebar).
PAGE_ROLES = {
	MY_GRID: ("Grid Worker",),
	OVERVIEW: (
		"Community Manager",
		"Community Mediator",
		"Community Party Committee",
		"District Manager",
		"System Manager",
	),
}
PAGE_SEQUENCE = {MY_GRID: 0.1, OVERVIEW: 0.2}

# The seven areas, in the order the overview shows them.
PARTY_BUILDING = "Party Building"
MEDIATION = "Mediation"
VOLUNTEER_SERVICE = "Volunteer Service"
RESIDENT_REQUESTS = "Resident Requests"
SAFETY = "Safety"
COMMUNITY_LIFE = "Community Life"
MY_CASES = "My Cases"
MY_RESIDENTS = "My Residents"


@dataclass(frozen=True)
class Indicator:
	name: str  # the Number Card's name (English; Chinese in translations/zh.csv)
	area: str  # the heading it stands under
	definition: str  # what is counted, in words, shown beside the figure
	doctype: str  # the records behind the figure: its link opens their list
	filters: tuple = ()  # (field, operator, value) of those records
	figure: str | None = None  # "module.function" working out a figure that is not a count; none: the count
	fieldtype: str = "Int"
	function: str = "Count"  # Count, or Sum of `based_on`, for a count figure
	based_on: str | None = None
	report: str | None = None  # the link opens this report instead of the records' list
	pages: tuple = (OVERVIEW,)
	color: str = "#2490EF"
	also_reads: tuple = ()  # other DocTypes its figure reads: the viewer must be able to read them too

	def readable_doctypes(self) -> tuple:
		"""The DocTypes a viewer must be able to read to see the figure."""
		return (self.doctype, *self.also_reads)

	def card_filters(self) -> list:
		return [
			[self.doctype, fieldname, operator, value, False] for fieldname, operator, value in self.filters
		]

	def route(self) -> str:
		"""Where its link leads: the report, or the list of its records with its filters."""
		if self.report:
			return f"/app/query-report/{self.report}"
		query = {
			fieldname: value if operator == "=" else json.dumps([operator, value], ensure_ascii=False)
			for fieldname, operator, value in self.filters
		}
		path = "/app/" + frappe.scrub(self.doctype).replace("_", "-")
		return path + ("?" + urlencode(query) if query else "")


@dataclass(frozen=True)
class Trend:
	"""A monthly Dashboard Chart over the last year (or a count grouped by `group_by`)."""

	name: str
	doctype: str
	based_on: str  # the date field counted by month
	filters: tuple = ()
	function: str = "Count"
	value_based_on: str | None = None
	group_by: str | None = None
	chart_type: str = "Bar"
	pages: tuple = (OVERVIEW,)
	color: str = "#2490EF"


OPEN_CASE = ("workflow_state", "!=", CASE_CLOSED)
OPEN_REQUEST = ("workflow_state", "!=", REQUEST_CLOSED)
NOT_VISITED_DAYS = 30

INDICATORS: list[Indicator] = [
	# 1 Party building (党建引领)
	Indicator(
		"Designated Party Member Households",
		PARTY_BUILDING,
		"Party member central households designated by the community party committee and not withdrawn.",
		"Party Member Household",
		(("status", "=", "Designated"),),
		color="#b71c1c",
	),
	Indicator(
		"Households Served by Central Households",
		PARTY_BUILDING,
		"Households of the grids looked after by a designated central household, as a share of all "
		"households of those grids.",
		"Party Member Household",
		figure="wangge_app.overview.central_household_coverage",
		fieldtype="Percent",
		report="Party Member Household Coverage",
		color="#b71c1c",
	),
	Indicator(
		"Service Station Visitors This Month",
		PARTY_BUILDING,
		"People served at the party and mass service stations this month, as logged, at the stations of "
		"the communities you see.",
		"Service Station Log",
		(("log_date", "Timespan", "this month"),),
		function="Sum",
		based_on="people_count",
		color="#b71c1c",
	),
	# 2 Mediation (矛盾调处)
	Indicator(
		"Dispute Cases in Hand",
		MEDIATION,
		"Dispute cases registered and not yet closed.",
		"Dispute Case",
		(OPEN_CASE,),
		pages=(OVERVIEW, MY_GRID),
	),
	Indicator(
		"Overdue Dispute Cases",
		MEDIATION,
		"Open dispute cases that missed a time target: arrival on site, settlement or follow-up visit.",
		"Dispute Case",
		(("is_overdue", "=", 1), OPEN_CASE),
		pages=(OVERVIEW, MY_GRID),
		color="#E03636",
	),
	Indicator(
		"Escalated and Referred Cases in Hand",
		MEDIATION,
		"Open dispute cases of the complex (community) or major (referred) tier.",
		"Dispute Case",
		(("tier", "in", ["Complex", "Major"]), OPEN_CASE),
	),
	Indicator(
		"Share of Cases Resolved in the Grid",
		MEDIATION,
		"Settled dispute cases that reached an agreement in the grid, without escalation or referral, as a "
		"share of all settled cases.",
		"Dispute Case",
		figure="wangge_app.overview.share_resolved_in_grid",
		fieldtype="Percent",
		report="Dispute Case Statistics",
	),
	# 3 Volunteer service and points (志愿服务)
	Indicator(
		"In-service Party Members",
		VOLUNTEER_SERVICE,
		"Party members of offices and enterprises registered at the community (双报到) and in service.",
		"In-service Party Member",
		(("status", "=", "In Service"),),
		color="#29CD42",
	),
	Indicator(
		"Volunteer Points Earned",
		VOLUNTEER_SERVICE,
		"Points the registered party members earned at volunteer activities, reversals deducted.",
		"In-service Party Member",
		figure="wangge_app.overview.points_earned",
		report="Volunteering Summary",
		color="#29CD42",
	),
	Indicator(
		"Activities per Member",
		VOLUNTEER_SERVICE,
		"Volunteer activities attended, divided by the number of registered party members.",
		"In-service Party Member",
		figure="wangge_app.overview.activities_per_member",
		fieldtype="Float",
		report="Volunteering Summary",
		color="#29CD42",
	),
	Indicator(
		"Vouchers Used",
		VOLUNTEER_SERVICE,
		"Points vouchers redeemed at partner merchants.",
		"Points Redemption",
		(("status", "=", "Used"),),
		color="#29CD42",
	),
	# 4 Residents' requests (诉求办理)
	Indicator(
		"Resident Requests in Hand",
		RESIDENT_REQUESTS,
		"Residents' requests received and not yet closed.",
		"Resident Request",
		(OPEN_REQUEST,),
		pages=(OVERVIEW, MY_GRID),
		color="#5e64ff",
	),
	Indicator(
		"Overdue Resident Requests",
		RESIDENT_REQUESTS,
		"Open residents' requests that missed a time limit of their grade: contact, visit, resolution or "
		"follow-up.",
		"Resident Request",
		(("is_overdue", "=", 1), OPEN_REQUEST),
		pages=(OVERVIEW, MY_GRID),
		color="#E03636",
	),
	Indicator(
		"Share of Requests Resolved in the Grid",
		RESIDENT_REQUESTS,
		"Requests received this year and resolved without the community calling in departments, as a "
		"share of this year's resolved requests (the community's aim: 80%).",
		"Resident Request",
		figure="wangge_app.overview.requests_resolved_in_grid",
		fieldtype="Percent",
		report="Resident Request Statistics",
		color="#5e64ff",
	),
	Indicator(
		"Share of Requests Resolved on Time",
		RESIDENT_REQUESTS,
		"Requests received this year and resolved within their grade's time limit, as a share of this "
		"year's resolved requests.",
		"Resident Request",
		figure="wangge_app.overview.requests_resolved_on_time",
		fieldtype="Percent",
		report="Resident Request Statistics",
		color="#5e64ff",
	),
	# 6 Safety (安全隐患): the Safety module's own cards, with their definitions; "rectified on time" next.
	Indicator(
		"Open Hazards",
		SAFETY,
		"Safety hazards found and neither closed nor referred to a department.",
		"Safety Hazard",
		(("workflow_state", "not in", [HAZARD_CLOSED, REFERRED_TO_DEPARTMENT]),),
		pages=(OVERVIEW, MY_GRID),
		color="#E03636",
	),
	Indicator(
		"Overdue Hazards",
		SAFETY,
		"Open safety hazards whose rectification deadline has passed.",
		"Safety Hazard",
		(("is_overdue", "=", 1), ("workflow_state", "not in", [HAZARD_CLOSED, REFERRED_TO_DEPARTMENT])),
		pages=(OVERVIEW, MY_GRID),
		color="#E03636",
	),
	Indicator(
		"Share of Hazards Rectified on Time",
		SAFETY,
		"Hazards found this year and closed after an acceptance check, rectified by their deadline, as a "
		"share of this year's closed hazards.",
		"Safety Hazard",
		figure="wangge_app.overview.hazards_rectified_on_time",
		fieldtype="Percent",
		report="Safety Hazard Statistics",
		color="#E03636",
	),
	Indicator(
		"Inspections Due This Week",
		SAFETY,
		"Safety inspections of households and premises due this week and not yet submitted.",
		"Safety Inspection",
		(("docstatus", "=", 0), ("due_date", "Timespan", "this week")),
		pages=(MY_GRID,),
		color="#ECAD4B",
	),
	# 7 Community life (幸福生活): residents reached goes here.
	Indicator(
		"Community Activities This Month",
		COMMUNITY_LIFE,
		"Community activities held or planned this month, cancelled ones aside, in the communities you see.",
		"Community Activity",
		(("start_time", "Timespan", "this month"), ("status", "!=", "Cancelled")),
	),
	# My grid today (我的网格), for grid workers: besides the cases above —
	Indicator(
		"Dispute Cases Due Today",
		MY_CASES,
		"Open dispute cases whose next time target (arrival, settlement or follow-up visit) falls today.",
		"Dispute Case",
		(("next_due_by", "Timespan", "today"), OPEN_CASE),
		pages=(MY_GRID,),
		color="#ECAD4B",
	),
	Indicator(
		"Resident Requests Due Today",
		MY_CASES,
		"Open residents' requests whose next time limit (contact, visit, resolution or follow-up) falls today.",
		"Resident Request",
		(("next_due_by", "Timespan", "today"), OPEN_REQUEST),
		pages=(MY_GRID,),
		color="#ECAD4B",
	),
	Indicator(
		"Elderly Living Alone",
		MY_RESIDENTS,
		"Households of elderly residents living alone.",
		"Household",
		(("elderly_living_alone", "=", 1),),
		pages=(MY_GRID,),
		color="#ECAD4B",
	),
	Indicator(
		"Elderly Living Alone Not Visited for 30 Days",
		MY_RESIDENTS,
		"Households of elderly residents living alone with no household visit recorded in the last 30 days.",
		"Household",
		figure="wangge_app.overview.elderly_alone_not_visited",
		fieldtype="Int",
		report="Households Not Visited",
		pages=(MY_GRID,),
		color="#E03636",
		also_reads=("Household Visit",),
	),
	Indicator(
		"New Residents This Month",
		MY_RESIDENTS,
		"Residents registered this month.",
		"Resident",
		(("creation", "Timespan", "this month"),),
		pages=(MY_GRID,),
	),
]

TRENDS: list[Trend] = [
	Trend("Dispute Cases by Month", "Dispute Case", "discovered_at", pages=(OVERVIEW, MY_GRID)),
	Trend("Dispute Cases by Tier", "Dispute Case", "discovered_at", group_by="tier"),
	Trend(
		"Volunteer Activities by Month",
		"Volunteer Activity",
		"start_time",
		(("docstatus", "=", 1),),
		color="#29CD42",
	),
	Trend(
		"Service Station Visitors by Month",
		"Service Station Log",
		"log_date",
		function="Sum",
		value_based_on="people_count",
		color="#b71c1c",
	),
	Trend(
		"Vouchers Used by Month",
		"Points Redemption",
		"redeemed_on",
		(("status", "=", "Used"),),
		color="#29CD42",
	),
]


# The reports the overview links to, in one card (Frappe shows each to the roles that may run it).
OVERVIEW_REPORTS = (
	"Grid Scorecard",
	"Party Member Household Coverage",
	"Dispute Case Statistics",
	"Volunteering Summary",
	"Redemption Summary",
)
REPORTS_CARD = "Reports"


def indicator(name: str) -> Indicator:
	for declared in INDICATORS:
		if declared.name == name:
			return declared
	if not name:
		frappe.throw(_("Give the indicator to show."))
	frappe.throw(_("{0} is not an indicator.").format(frappe.bold(escape_html(str(name)[:140]))))


# Figures that are not counts: each works out the figure for the records the user may see.
def central_household_coverage() -> float:
	from wangge_app.party_building.coverage import get_coverage

	return get_coverage()[-1]["coverage"]


def share_resolved_in_grid() -> float:
	from wangge_app.mediation.report.dispute_case_statistics.dispute_case_statistics import (
		get_cases,
		summarise,
	)

	return summarise("", "Grid", get_cases(frappe._dict()))["share_in_grid"] or 0


def points_earned() -> int:
	from wangge_app.volunteer.report.volunteering_summary.volunteering_summary import (
		get_member_figures,
		get_totals,
	)

	return get_totals(get_member_figures(frappe._dict()))["earned"]


def activities_per_member() -> float:
	from wangge_app.volunteer.report.volunteering_summary.volunteering_summary import (
		get_member_figures,
		get_totals,
	)

	return get_totals(get_member_figures(frappe._dict()))["average_activities"]


def this_years_request_figures() -> dict:
	from wangge_app.resident_services.report.resident_request_statistics.resident_request_statistics import (
		figures,
		get_requests,
	)

	year = frappe.utils.getdate().year
	return figures(get_requests(frappe._dict(from_date=f"{year}-01-01", to_date=f"{year}-12-31")))


def requests_resolved_in_grid() -> float:
	return this_years_request_figures()["in_grid_share"] or 0


def requests_resolved_on_time() -> float:
	return this_years_request_figures()["on_time_share"] or 0


def hazards_rectified_on_time() -> float:
	from wangge_app.safety.report.safety_hazard_statistics.safety_hazard_statistics import (
		get_hazards,
		summarise,
	)

	year = frappe.utils.getdate().year
	hazards = get_hazards(frappe._dict(from_date=f"{year}-01-01", to_date=f"{year}-12-31"))
	return summarise("", hazards, None)["on_time_rate"] or 0


def elderly_alone_not_visited() -> int:
	from wangge_app.resident_services.doctype.household_visit.household_visit import last_visits

	households = frappe.get_list("Household", {"elderly_living_alone": 1}, pluck="name")
	if not households:
		return 0
	since = frappe.utils.add_days(frappe.utils.getdate(), -NOT_VISITED_DAYS)
	visited = last_visits(households)
	return sum(
		1 for name in households if not visited.get(name) or frappe.utils.getdate(visited[name]) < since
	)


FIGURE_METHOD = "wangge_app.overview.get_figure"


@frappe.whitelist()
def get_figure(filters=None) -> dict:
	"""The figure of a Number Card of an indicator that is not a count ({"indicator": name})."""
	filters = json_argument(filters, "filters") or {}
	declared = indicator(filters.get("indicator") if isinstance(filters, dict) else None)
	# Checked before any record is read, so the answer does not depend on what the viewer's scope holds.
	if not declared.figure or not all(
		frappe.has_permission(doctype, "read") for doctype in declared.readable_doctypes()
	):
		frappe.throw(_("You are not permitted to see {0}.").format(_(declared.name)), frappe.PermissionError)
	compute: Callable = frappe.get_attr(declared.figure)
	# One decimal, as people read an average (the system's float precision would show 17.200).
	return {"value": compute(), "fieldtype": declared.fieldtype, "precision": 1}


# The Number Cards, Dashboard Charts and workspaces that follow from the declarations
def number_card(declared: Indicator) -> dict:
	card = {
		"doctype": "Number Card",
		"name": declared.name,
		"label": declared.name,
		"document_type": declared.doctype,
		"is_public": 1,
		"color": declared.color,
		"show_percentage_stats": 0,
		"stats_time_interval": "Monthly",
	}
	if declared.figure:
		# The document type says who may see the card (Frappe shows it to readers of that DocType).
		card.update(
			type="Custom", method=FIGURE_METHOD, filters_json=json.dumps({"indicator": declared.name})
		)
	else:
		card.update(
			type="Document Type",
			function=declared.function,
			aggregate_function_based_on=declared.based_on,
			filters_json=json.dumps(declared.card_filters(), ensure_ascii=False),
		)
	return card


CHART_SOURCE = "Monthly Trend"


def dashboard_chart(trend: Trend) -> dict:
	"""A Custom chart of the source *Monthly Trend* (get_trend): Frappe's own time series label months
	in English ("Jul 2026") and groups by raw values ("Ordinary")."""
	return {
		"doctype": "Dashboard Chart",
		"chart_name": trend.name,
		"chart_type": "Custom",
		"source": CHART_SOURCE,
		# The document type says who may see the chart (Frappe shows it to readers of that DocType).
		"document_type": trend.doctype,
		"is_public": 1,
		"filters_json": "{}",
		"type": trend.chart_type,
		"color": trend.color,
	}


def trend_of(name: str) -> Trend:
	for trend in TRENDS:
		if trend.name == name:
			return trend
	frappe.throw(_("{0} is not an indicator.").format(frappe.bold(escape_html(str(name)[:140]))))


@frappe.whitelist()
def get_trend(chart_name=None, filters=None, **kwargs) -> dict:
	"""The data of an overview chart: the last twelve months (or the groups), of the records the
	user may see."""
	trend = trend_of(chart_name)
	if not frappe.has_permission(trend.doctype, "read"):
		frappe.throw(_("You are not permitted to see {0}.").format(_(trend.name)), frappe.PermissionError)
	conditions = [[trend.doctype, f, op, v] for f, op, v in trend.filters]
	value = f"sum(`{trend.value_based_on}`)" if trend.function == "Sum" else "count(*)"
	if trend.group_by:
		rows = frappe.get_list(
			trend.doctype,
			fields=[f"`{trend.group_by}` as label", f"{value} as value"],
			filters=conditions,
			group_by=trend.group_by,
			order_by="value desc",
		)
		labels = [_(row.label) if row.label else _("Not Specified") for row in rows]
		values = [row.value for row in rows]
	else:
		first = frappe.utils.get_first_day(frappe.utils.add_months(frappe.utils.today(), -11))
		months = [frappe.utils.add_months(first, offset) for offset in range(12)]
		rows = frappe.get_list(
			trend.doctype,
			fields=[
				f"year(`{trend.based_on}`) as year",
				f"month(`{trend.based_on}`) as month",
				f"{value} as value",
			],
			filters=[*conditions, [trend.doctype, trend.based_on, ">=", first]],
			group_by="year, month",
			order_by="year, month",
		)
		by_month = {(row.year, row.month): row.value for row in rows}
		labels = [_("Month {1} of {0}").format(month.year, month.month) for month in months]
		values = [frappe.utils.flt(by_month.get((month.year, month.month))) for month in months]
	return {"labels": labels, "datasets": [{"name": _(trend.name), "values": values}]}


def sync_overview() -> None:
	"""Create what the declarations need and is missing: cards, charts, and the two workspaces."""
	for declared in INDICATORS:
		if not frappe.db.exists("Number Card", declared.name):
			frappe.get_doc(number_card(declared)).insert(ignore_permissions=True)
	for trend in TRENDS:
		if not frappe.db.exists("Dashboard Chart", trend.name):
			frappe.get_doc(dashboard_chart(trend)).insert(ignore_permissions=True)
	for page in (MY_GRID, OVERVIEW):
		sync_workspace(page)


def zh(text: str) -> str:
	"""Workspace text is stored as written; the app's users read Chinese."""
	return _(text, lang="zh")


def sync_workspace(page: str) -> None:
	exists = frappe.db.exists("Workspace", page)
	if exists:
		workspace = frappe.get_doc("Workspace", page)
	else:
		workspace = frappe.get_doc(
			{
				"doctype": "Workspace",
				"name": page,
				"label": page,
				"title": page,
				"public": 1,
				"icon": "dashboard" if page == OVERVIEW else "home",
				"sequence_id": PAGE_SEQUENCE[page],
				"roles": [{"role": role} for role in PAGE_ROLES[page]],
				"content": "[]",
			}
		)
	content = json.loads(workspace.content or "[]")
	on_page = {row.number_card_name for row in workspace.number_cards}
	charts_on_page = {row.chart_name for row in workspace.charts}
	area_shown = None
	for declared in (i for i in INDICATORS if page in i.pages and i.name not in on_page):
		if declared.area != area_shown:
			content.append(
				block("header", text=f'<span class="h4"><b>{zh(declared.area)}</b></span>', col=12)
			)
			area_shown = declared.area
		workspace.append("number_cards", {"number_card_name": declared.name, "label": declared.name})
		content.append(block("number_card", number_card_name=declared.name, col=4))
		content.append(block("paragraph", text=definition_html(declared), col=8))
	new_charts = [trend for trend in TRENDS if page in trend.pages and trend.name not in charts_on_page]
	if new_charts:
		content.append(block("header", text=f'<span class="h4"><b>{zh("Monthly Trends")}</b></span>', col=12))
	for trend in new_charts:
		workspace.append("charts", {"chart_name": trend.name, "label": trend.name})
		content.append(block("chart", chart_name=trend.name, col=6))
	if page == OVERVIEW and not any(row.label == REPORTS_CARD for row in workspace.links):
		workspace.append(
			"links", {"type": "Card Break", "label": REPORTS_CARD, "link_count": len(OVERVIEW_REPORTS)}
		)
		for report in OVERVIEW_REPORTS:
			workspace.append(
				"links",
				{
					"type": "Link",
					"label": report,
					"link_type": "Report",
					"link_to": report,
					"is_query_report": 1,
				},
			)
		content.append(block("card", card_name=REPORTS_CARD, col=4))
	workspace.content = json.dumps(content, ensure_ascii=False)
	workspace.flags.ignore_links = True
	if exists:
		workspace.save(ignore_permissions=True)
	else:
		workspace.insert(ignore_permissions=True)


def definition_html(declared: Indicator) -> str:
	return (
		f'<span class="text-muted">{frappe.utils.escape_html(zh(declared.definition))}</span> '
		f'<a href="{frappe.utils.escape_html(declared.route())}">{zh("Open the records")} →</a>'
	)


def block(kind: str, **data) -> dict:
	return {"id": frappe.generate_hash(length=10), "type": kind, "data": data}
