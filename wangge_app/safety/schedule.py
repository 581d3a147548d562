# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The daily job that creates the inspections the plans make due.

Each active Inspection Plan inspects every place it covers once per period (week, month, quarter or
year). On any day the job creates, for each plan, the inspections of the current period that do not
exist yet, due at the period's end, and assigns each to the grid workers of the place's grid (or of
the nearest grid up the tree that has any). A task is never created twice: each carries the key
plan/place/period, which is unique in the database, so running the job again (or twice at once)
creates nothing more.
"""

import datetime

import frappe
from frappe import _
from frappe.utils import get_last_day, getdate, today

from wangge_app.safety.places import HOUSEHOLD
from wangge_app.utils.assignment import assign, nearest_grid_workers


def period_of(frequency: str, day: datetime.date) -> tuple[str, datetime.date, datetime.date]:
	"""The period of the frequency that holds `day`: (key, first day, last day)."""
	if frequency == "Weekly":
		start = day - datetime.timedelta(days=day.weekday())
		year, week, _weekday = day.isocalendar()
		return f"{year}-W{week:02d}", start, start + datetime.timedelta(days=6)
	if frequency == "Monthly":
		start = day.replace(day=1)
		return f"{day:%Y-%m}", start, get_last_day(day)
	if frequency == "Quarterly":
		quarter = (day.month - 1) // 3 + 1
		start = datetime.date(day.year, quarter * 3 - 2, 1)
		return f"{day.year}-Q{quarter}", start, get_last_day(datetime.date(day.year, quarter * 3, 1))
	if frequency == "Yearly":
		return str(day.year), datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)
	raise ValueError(frequency)


def create_due_inspections(now=None) -> list[str]:
	"""scheduler_events daily: create and assign the inspections due in the current period of every
	active plan; return their names. `now` is the day to plan for (today when not given)."""
	day = getdate(now) if now else getdate(today())
	created = []
	for plan in frappe.get_all(
		"Inspection Plan", {"is_active": 1, "start_date": ("<=", day)}, pluck="name", order_by="name"
	):
		created += create_plan_inspections(frappe.get_doc("Inspection Plan", plan), day)
	return created


def create_plan_inspections(plan, day: datetime.date) -> list[str]:
	if not plan.frequency:
		return []
	period, _start, end = period_of(plan.frequency, day)
	existing = set(
		frappe.get_all("Safety Inspection", {"plan": plan.name, "period": period}, pluck="schedule_key")
	)
	created = []
	for place_kind, place, grid in plan.targets():
		key = f"{plan.name}/{place}/{period}"
		if key in existing:
			continue
		inspection = frappe.get_doc(
			{
				"doctype": "Safety Inspection",
				"place_kind": place_kind,
				"household": place if place_kind == HOUSEHOLD else None,
				"premises": None if place_kind == HOUSEHOLD else place,
				"template": plan.template,
				"plan": plan.name,
				"period": period,
				"due_date": end,
				"schedule_key": key,
			}
		)
		try:
			inspection.insert(ignore_permissions=True)
		except (frappe.DuplicateEntryError, frappe.UniqueValidationError):
			# Another run created it in the meantime.
			continue
		assign(
			inspection,
			nearest_grid_workers(grid),
			_("Safety inspection {0}: {1}").format(inspection.name, inspection.place_name),
			date=inspection.due_date,
		)
		created.append(inspection.name)
	return created
