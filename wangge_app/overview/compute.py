# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The figures and trends of the declarations, as each viewer sees them.

Every figure is read through the permission layer (frappe.get_list and the reports, which follow
`wangge_app.permissions`), so each viewer sees the figures of their own scope: a grid worker their
grids, a community's staff their community, a district manager the district.

A role page asks for all its cards' figures at once (`get_figures`, called by
public/js/home_figures.js) instead of two requests per card; the answer is kept for a minute under
the viewer's scope (`scope_key`), so that the next viewer of the same scope, or the same viewer
coming back, does not count again, and a new record shows within that minute.
"""

import hashlib
import json
from collections.abc import Callable

import frappe
from frappe import _
from frappe.desk.doctype.number_card.number_card import get_result
from frappe.permissions import get_user_permissions

from wangge_app.overview.cards import counts_as_declared, number_card
from wangge_app.overview.figures import reads_shared
from wangge_app.overview.indicators import INDICATORS, Indicator, indicator, trend_of
from wangge_app.permissions import get_user_merchant
from wangge_app.utils.validation import json_argument

# Long enough that a page opened again, or by a colleague of the same scope, answers from the cache;
# short enough that a record just saved shows on the next look a minute later.
FIGURES_CACHE_SECONDS = 60
FIGURES_CACHE_PREFIX = "wangge_app:figures"
MAX_CARDS_PER_REQUEST = 100
# What the desk's card widget reads of its Number Card to draw it and to open its records.
CARD_FIELDS = (
	"name",
	"label",
	"type",
	"document_type",
	"parent_document_type",
	"function",
	"aggregate_function_based_on",
	"method",
	"filters_json",
	"dynamic_filters_json",
	"color",
	"show_percentage_stats",
	"stats_time_interval",
	"is_public",
)


@frappe.whitelist()
def get_figure(filters=None) -> dict:
	"""The figure of a Number Card of an indicator that is not a count ({"indicator": name})."""
	filters = json_argument(filters, "filters") or {}
	declared = indicator(filters.get("indicator") if isinstance(filters, dict) else None)
	# Checked before any record is read, so the answer does not depend on what the viewer's scope holds.
	if not declared.figure or not may_read(declared):
		frappe.throw(_("You are not permitted to see {0}.").format(_(declared.name)), frappe.PermissionError)
	return computed_figure(declared)


def may_read(declared: Indicator) -> bool:
	return all(frappe.has_permission(doctype, "read") for doctype in declared.readable_doctypes())


def computed_figure(declared: Indicator) -> dict:
	compute: Callable = frappe.get_attr(declared.figure)
	# One decimal, as people read an average (the system's float precision would show 17.200).
	return {"value": compute(), "fieldtype": declared.fieldtype, "precision": 1}


@frappe.whitelist()
def get_figures(cards=None) -> dict:
	"""The figures of the indicators' Number Cards named, in one answer: {card: {"card": what the desk
	draws it from, "value", "fieldtype", "precision"}}.

	Only cards made from an indicator and still counting what it declares are answered, and only those
	the viewer may read (as Frappe decides for the card and for every DocType its figure reads); the
	desk draws any other card the usual way, one request each."""
	names = json_argument(cards, "cards") or []
	if not isinstance(names, list) or len(names) > MAX_CARDS_PER_REQUEST:
		frappe.throw(_("Give the number cards as a list of at most {0} names.").format(MAX_CARDS_PER_REQUEST))
	declared = {i.name: i for i in INDICATORS}
	wanted = sorted({name for name in names if isinstance(name, str) and name in declared})
	if not wanted:
		return {}
	stored = {
		card.name: card
		for card in frappe.get_all("Number Card", filters={"name": ("in", wanted)}, fields=list(CARD_FIELDS))
	}
	# Read permission once per DocType (Frappe's check costs tens of ms, and indicators share DocTypes).
	# It implies Frappe's permission on the card itself, which asks only that its DocType be readable.
	readable = {
		doctype: frappe.has_permission(doctype, "read")
		for doctype in {doctype for name in wanted for doctype in declared[name].readable_doctypes()}
	}
	answerable = [
		stored[name]
		for name in wanted
		if name in stored
		and drawn_from_declaration(declared[name], stored[name])
		and all(readable[doctype] for doctype in declared[name].readable_doctypes())
	]
	if not answerable:
		return {}
	key = figures_cache_key(answerable)
	figures = frappe.cache.get_value(key, expires=True)
	if figures is None:
		with reads_shared():
			figures = {card.name: figure_of(declared[card.name], card) for card in answerable}
		frappe.cache.set_value(key, figures, expires_in_sec=FIGURES_CACHE_SECONDS)
	return figures


def drawn_from_declaration(declared: Indicator, card) -> bool:
	"""Whether the desk, drawing the card itself, would show the declaration's figure: a card someone
	has changed (until the next migrate sets it again) or given filters set in the browser is drawn the
	usual way."""
	return not json.loads(card.dynamic_filters_json or "[]") and counts_as_declared(declared, card)


def figure_of(declared: Indicator, card) -> dict:
	answer = {"card": dict(card)}
	if declared.figure:
		answer.update(computed_figure(declared))
	else:
		# What the desk's card widget asks for (frappe's get_result), from the declared card.
		definition = frappe._dict(number_card(declared))
		value = get_result(definition, definition.filters_json)
		answer.update(value=value, fieldtype=declared.fieldtype, precision=None)
	return answer


def figures_cache_key(cards: list) -> str:
	"""Keyed by what decides the figures: the viewer's scope, the day (for "this month", "today") and
	the cards as stored (an edited card is counted afresh)."""
	cards_stored = json.dumps([dict(card) for card in cards], sort_keys=True, default=str)
	digest = hashlib.sha256(f"{scope_key()}|{frappe.utils.today()}|{cards_stored}".encode()).hexdigest()
	return f"{FIGURES_CACHE_PREFIX}:{digest}"


def scope_key(user: str | None = None) -> str:
	"""What decides which records a user's figures count: their roles (role permissions and the
	permission layer's rules by role), their User Permissions (the grids, communities and anything else
	they are limited to, which `wangge_app.permissions` and Frappe both apply) and their partner
	merchant. Two users with the same of all three see the same records; any difference gives another
	key. (No DocType of the app limits a role to its own records: `if_owner` is unused.)"""
	user = user or frappe.session.user
	user_permissions = {
		doctype: sorted(json.dumps(permission, sort_keys=True, default=str) for permission in permissions)
		for doctype, permissions in get_user_permissions(user).items()
	}
	scope = {
		"roles": sorted(frappe.get_roles(user)),
		"user_permissions": user_permissions,
		"merchant": get_user_merchant(user),
	}
	return hashlib.sha256(json.dumps(scope, sort_keys=True).encode()).hexdigest()


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
