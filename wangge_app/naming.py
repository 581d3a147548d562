# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Document numbers are never reused.

Frappe gives a deleted record's number back to its series when the record was the series' last
(`frappe.model.naming.revert_series_if_last`, called by `delete_doc`): the next record would take
the same number, and with it the deleted record's assignments, comments and versions, which stay
keyed by DocType and name. A printed notice number must name one record forever, so after a record of
the app is deleted its series is set back to at least the deleted number."""

import re

import frappe

TRAILING_NUMBER = re.compile(r"^(?P<prefix>.*?)(?P<number>\d+)$")


def keep_number_taken(doc, method=None):
	"""doc_events after_delete of the app's DocTypes (after Frappe's revert of the series)."""
	match = TRAILING_NUMBER.match(str(doc.name))
	if not match:
		return
	frappe.db.sql(
		"UPDATE `tabSeries` SET `current` = GREATEST(`current`, %s) WHERE `name` = %s",
		(int(match["number"]), match["prefix"]),
	)
