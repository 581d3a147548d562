# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The figures that are not counts (a share, an average): each works out its indicator's figure
(`Indicator.figure` names it) for the records the user may see, through the reports' own functions."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import frappe

from wangge_app.overview.indicators import NOT_VISITED_DAYS


@contextmanager
def reads_shared() -> Iterator[None]:
	"""While a page's figures are worked out together, two figures of one report (points earned and
	activities per member; the two shares of requests) read its records once."""
	frappe.local.overview_reads = {}
	try:
		yield
	finally:
		del frappe.local.overview_reads


def shared(key: str, read: Callable):
	reads = getattr(frappe.local, "overview_reads", None)
	if reads is None:
		return read()
	if key not in reads:
		reads[key] = read()
	return reads[key]


def central_household_coverage() -> float:
	from wangge_app.party_building.coverage import get_coverage

	return get_coverage()[-1]["coverage"]


def share_resolved_in_grid() -> float:
	from wangge_app.mediation.report.dispute_case_statistics.dispute_case_statistics import (
		get_cases,
		summarise,
	)

	return summarise("", "Grid", get_cases(frappe._dict()))["share_in_grid"] or 0


def volunteering_totals() -> dict:
	from wangge_app.volunteer.report.volunteering_summary.volunteering_summary import (
		get_member_figures,
		get_totals,
	)

	return shared("volunteering totals", lambda: get_totals(get_member_figures(frappe._dict())))


def points_earned() -> int:
	return volunteering_totals()["earned"]


def activities_per_member() -> float:
	return volunteering_totals()["average_activities"]


def this_years_request_figures() -> dict:
	from wangge_app.resident_services.report.resident_request_statistics.resident_request_statistics import (
		figures,
		get_requests,
	)

	year = frappe.utils.getdate().year
	return shared(
		"this year's requests",
		lambda: figures(get_requests(frappe._dict(from_date=f"{year}-01-01", to_date=f"{year}-12-31"))),
	)


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
