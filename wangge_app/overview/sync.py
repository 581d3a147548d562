# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The Number Cards, Dashboard Charts and workspaces that follow from the declarations
(`wangge_app.overview.indicators`), made on install and on every migrate (`sync_overview`):

- one Number Card per indicator, made from its declaration: created when missing; on every migrate
  what it counts (DocType, filters, function, method) is set again from the declaration, so changing
  an indicator changes its card, while how a manager shows it (label, colour, percentage stats) stays.
  No card of an indicator is also kept as a JSON file;
- one Dashboard Chart per trend, created when missing;
- the workspaces *Seven in the Grid* (七在网格, community and district staff) and *My Grid Today*
  (我的网格, grid workers): each indicator's card with its definition and a link to its records beside
  it, under its area's heading, and the trend charts. A workspace is created when missing; afterwards
  only indicators and charts not yet on it are added, below what a manager arranged.
"""

import json

import frappe
from frappe import _

from wangge_app.overview.cards import counted_fields, number_card, same_value
from wangge_app.overview.indicators import (
	INDICATORS,
	MY_GRID,
	OVERVIEW,
	OVERVIEW_REPORTS,
	PAGE_ROLES,
	PAGE_SEQUENCE,
	REPORTS_CARD,
	TRENDS,
	Indicator,
	Trend,
)

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
		"custom_options": chart_options(trend),
	}


def chart_options(trend: Trend) -> str:
	"""Twelve months' labels ("2026年1月") do not fit under a chart a third of the page wide, and the
	chart cuts each to "20..": as a series, the axis shows every few months' label whole."""
	return "" if trend.group_by else json.dumps({"axisOptions": {"xIsSeries": 1}})


def sync_overview() -> None:
	"""Make what the declarations need: the indicators' cards, the charts, and the two workspaces."""
	for declared in INDICATORS:
		sync_number_card(declared)
	for trend in TRENDS:
		if not frappe.db.exists("Dashboard Chart", trend.name):
			frappe.get_doc(dashboard_chart(trend)).insert(ignore_permissions=True)
		elif not frappe.db.get_value("Dashboard Chart", trend.name, "custom_options"):
			# Charts made before the axis was a series; a chart a manager gave options keeps them.
			frappe.db.set_value("Dashboard Chart", trend.name, "custom_options", chart_options(trend))
	for page in (MY_GRID, OVERVIEW):
		sync_workspace(page)


def sync_number_card(declared: Indicator) -> None:
	"""Create the indicator's card, or set what it counts from the declaration again."""
	wanted = number_card(declared)
	if not frappe.db.exists("Number Card", declared.name):
		frappe.get_doc(wanted).insert(ignore_permissions=True)
		return
	fields = counted_fields(declared)
	stored = frappe.db.get_value("Number Card", declared.name, [*fields, "is_standard"], as_dict=True)
	changes = {field: wanted[field] for field in fields if not same_value(stored[field], wanted[field])}
	if stored.is_standard:
		# A card the app once shipped as a JSON file: the declaration makes it now, and a standard card
		# saved in developer mode would be written out to a file again.
		changes.update(is_standard=0, module=None)
	if changes:
		# Written as values, not by saving the card: the manager's other changes to it stay as they are.
		frappe.db.set_value("Number Card", declared.name, changes)


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
