# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The Number Card each indicator declares: what it is made of, and whether a stored card still counts
what its indicator declares."""

import json

from wangge_app.overview.indicators import Indicator

# The stored path of the Number Cards of figures that are not counts (sites keep it: do not move).
FIGURE_METHOD = "wangge_app.overview.get_figure"


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


def counted_fields(declared: Indicator) -> tuple:
	"""The fields of its card that say what an indicator counts."""
	if declared.figure:
		return ("type", "document_type", "method", "filters_json")
	return ("type", "document_type", "function", "aggregate_function_based_on", "filters_json")


def counts_as_declared(declared: Indicator, card) -> bool:
	"""Whether a stored card counts what its indicator declares."""
	wanted = number_card(declared)
	return all(same_value(card.get(field), wanted[field]) for field in counted_fields(declared))


def same_value(stored, wanted) -> bool:
	if isinstance(wanted, str) and wanted.startswith(("[", "{")):
		try:
			return json.loads(stored or "null") == json.loads(wanted)
		except ValueError:
			return False
	return (stored or None) == (wanted or None)
