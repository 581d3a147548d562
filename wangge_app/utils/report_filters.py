"""The filters of the app's Script Reports, each checked for its kind before the report reads it.

Anyone who may run a report may send it any filters (frappe.desk.query_report.run); a date that is not
a date, a list where one grid is expected or a grouping the report does not have stops here with a
message, instead of an error 500 deeper in the report.

Then what the reports that count records by grid share: the records of a grid (with the grids below it)
and a period (`grid_and_period`), and their groups, in which micro-grids count for their grid (`grouped`)."""

import datetime

import frappe
from frappe import _
from frappe.utils import get_datetime, getdate


def checked_filters(
	filters,
	dates: tuple = (),
	numbers: tuple = (),
	names: tuple = (),
	choices: dict | None = None,
) -> frappe._dict:
	"""The filters as a dict whose `dates` are dates, `numbers` whole numbers, `names` (of records)
	text and `choices` one of their values; a blank filter is left out."""
	if isinstance(filters, str):
		filters = frappe.parse_json(filters) if filters.strip() else None
	if filters is not None and not isinstance(filters, dict):
		frappe.throw(_("Give the report's filters as a JSON object."), title=_("Invalid Input"))
	filters = frappe._dict({key: value for key, value in (filters or {}).items() if value not in (None, "")})
	for key, value in filters.items():
		# The app's reports have no filter of several values.
		if not isinstance(value, str | int | float | datetime.date):
			frappe.throw(_("Filter {0} takes one value.").format(key), title=_("Invalid Input"))
	for key in dates:
		if key in filters:
			filters[key] = checked_date(key, filters[key])
	for key in numbers:
		if key in filters:
			filters[key] = checked_number(key, filters[key])
	for key in names:
		if key in filters and not isinstance(filters[key], str):
			frappe.throw(_("Filter {0} takes one name.").format(key), title=_("Invalid Input"))
	for key, values in (choices or {}).items():
		if key in filters and filters[key] not in values:
			frappe.throw(
				_("Filter {0} is one of: {1}.").format(key, ", ".join(_(value) for value in values)),
				title=_("Invalid Input"),
			)
	return filters


def checked_date(key: str, value) -> str:
	"""The date as the desk sends it (YYYY-MM-DD), or a date of the code that runs the report."""
	if isinstance(value, datetime.date):
		return value.isoformat()[:10]
	try:
		return datetime.date.fromisoformat(str(value).strip()[:10]).isoformat()
	except ValueError:
		frappe.throw(_("Filter {0} takes a date (YYYY-MM-DD).").format(key), title=_("Invalid Input"))


def checked_number(key: str, value) -> int:
	try:
		if isinstance(value, bool) or not isinstance(value, int | str):
			raise ValueError
		return int(value)
	except ValueError:
		frappe.throw(_("Filter {0} takes a whole number.").format(key), title=_("Invalid Input"))


def grid_and_period(filters, doctype: str, date_field: str | None = None) -> dict:
	"""The `frappe.get_list` filters of a report's checked `grid` (with the grids below it) and period
	(`from_date` to `to_date` on `date_field`, whole days, also when the field holds a time)."""
	conditions = {}
	if filters.grid:
		conditions["grid"] = ["descendants of (inclusive)", filters.grid]
	if date_field and filters.from_date and filters.to_date:
		start, end = getdate(filters.from_date), getdate(filters.to_date)
		if frappe.get_meta(doctype).get_field(date_field).fieldtype == "Datetime":
			start, end = get_datetime(start), get_datetime(f"{end} 23:59:59")
		conditions[date_field] = ["between", [start, end]]
	return conditions


def top_grids() -> dict[str, str]:
	"""Each grid's own grid: micro-grids count for the grid above them."""
	grids = {grid.name: grid for grid in frappe.get_all("Grid", fields=["name", "grid_level", "parent_grid"])}
	return {
		name: grid.parent_grid if grid.grid_level == "Micro-grid" and grid.parent_grid else name
		for name, grid in grids.items()
	}


def grouped(rows: list, fieldname: str, by_grid: bool = False) -> dict[str, list]:
	"""The rows by their value of `fieldname` ("" when blank); `by_grid`: a micro-grid's rows count for
	the grid above it."""
	grid_of = top_grids() if by_grid else {}
	groups: dict[str, list] = {}
	for row in rows:
		key = row[fieldname] or ""
		groups.setdefault(grid_of.get(key, key), []).append(row)
	return groups
