# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The indicators and trends of the two role pages, declared once each: what is counted, over which
records, on which page. Everything else follows from these declarations (`wangge_app.overview`): the
Number Cards and Dashboard Charts, the workspaces, and the figures each viewer sees for their scope.

Adding an area (requests, hazards, community life) is adding its `Indicator`s (and `Trend`s) below;
a figure that is not a count of records is a function in `wangge_app.overview.figures`.
"""

import json
from dataclasses import dataclass
from urllib.parse import urlencode

import frappe
from frappe import _
from frappe.utils import escape_html

from wangge_app.roles import (
	COMMUNITY_MANAGER,
	DISTRICT_MANAGER,
	GRID_WORKER,
	MEDIATOR,
	PARTY_COMMITTEE,
	SYSTEM_MANAGER,
)
from wangge_app.workflows import CASE_CLOSED, HAZARD_CLOSED, REFERRED_TO_DEPARTMENT, REQUEST_CLOSED

OVERVIEW = "Seven in the Grid"
MY_GRID = "My Grid Today"
# The roles that open each page first (their first workspace in the sidebar).
PAGE_ROLES = {
	MY_GRID: (GRID_WORKER,),
	OVERVIEW: (COMMUNITY_MANAGER, MEDIATOR, PARTY_COMMITTEE, DISTRICT_MANAGER, SYSTEM_MANAGER),
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
		figure="wangge_app.overview.figures.central_household_coverage",
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
		figure="wangge_app.overview.figures.share_resolved_in_grid",
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
		figure="wangge_app.overview.figures.points_earned",
		report="Volunteering Summary",
		color="#29CD42",
	),
	Indicator(
		"Activities per Member",
		VOLUNTEER_SERVICE,
		"Volunteer activities attended, divided by the number of registered party members.",
		"In-service Party Member",
		figure="wangge_app.overview.figures.activities_per_member",
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
		figure="wangge_app.overview.figures.requests_resolved_in_grid",
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
		figure="wangge_app.overview.figures.requests_resolved_on_time",
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
		figure="wangge_app.overview.figures.hazards_rectified_on_time",
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
		figure="wangge_app.overview.figures.elderly_alone_not_visited",
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


def trend_of(name: str) -> Trend:
	for trend in TRENDS:
		if trend.name == name:
			return trend
	frappe.throw(_("{0} is not an indicator.").format(frappe.bold(escape_html(str(name)[:140]))))
