# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""How the app's records are named and given their place.

- A record **of a community** (a room, a group, a station, a programme) takes its community before it is
  checked (`set_community`), and one named by its own words is named within its community
  (`name_within_community`): one site holds a district, where two communities may each have a 活动室.
- **Document numbers are never reused.** Frappe gives a deleted record's number back to its series
  when the record was the series' last (`frappe.model.naming.revert_series_if_last`, called by
  `delete_doc`): the next record would take the same number, and with it the deleted record's
  assignments, comments and versions, which stay keyed by DocType and name. A printed notice number
  must name one record forever, so after a record of the app is deleted its series is set back to at
  least the deleted number (`keep_number_taken`)."""

import re

import frappe
from frappe import _

from wangge_app.permissions import COMMUNITY_LEVEL, GRID, user_areas
from wangge_app.scopes import SCOPES

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


def community_of(grid: str | None) -> str | None:
	"""The community a grid lies in (itself, for a community); None for a grid above every community."""
	if not grid:
		return None
	node = frappe.db.get_value(GRID, grid, ["lft", "rgt", "grid_level"], as_dict=True)
	if not node:
		return None
	if node.grid_level == COMMUNITY_LEVEL:
		return grid
	return frappe.db.get_value(
		GRID, {"grid_level": COMMUNITY_LEVEL, "lft": ("<", node.lft), "rgt": (">", node.rgt)}, "name"
	)


def default_community(user: str | None = None) -> str | None:
	"""The one community of the user's area, or of the site for a user who sees every grid."""
	areas = user_areas(user)
	filters = {"grid_level": COMMUNITY_LEVEL}
	if areas is not None:
		filters["name"] = ("in", sorted(areas) or [""])
	communities = frappe.get_all(GRID, filters, pluck="name", limit=2)
	return communities[0] if len(communities) == 1 else None


def set_community(doc, method=None):
	"""doc_events before_validate of the records of a community: the community is that of the record it
	comes from (a booking's space's, a log's station's), else the one chosen (a grid chosen stands for
	its community), else the user's own, else the site's only one."""
	scope = SCOPES[doc.doctype]
	source = scope.community_from and doc.get(scope.community_from)
	if source:
		source_doctype = doc.meta.get_field(scope.community_from).options
		community = frappe.db.get_value(source_doctype, source, SCOPES[source_doctype].community_field)
	else:
		chosen = doc.get(scope.community_field)
		community = community_of(chosen) if chosen else default_community()
		if chosen and not community:
			frappe.throw(
				_(
					"{0}: {1} is not a community and lies in none. Choose the community the record belongs to."
				).format(_(doc.meta.get_label(scope.community_field)), frappe.bold(chosen))
			)
	if not community:
		frappe.throw(
			_("{0}: choose the community this record belongs to.").format(
				_(doc.meta.get_label(scope.community_field))
			),
			frappe.MandatoryError,
		)
	doc.set(scope.community_field, community)


def name_within_community(doc, method=None):
	"""doc_events autoname of the records of a community named by their own words (a room, a group, a
	station, a programme): one site holds a district, where two communities may each have a 活动室.
	The name is the one the DocType's naming gives; where another community's record has it already, the
	record's community follows it, so that neither refusal nor its message tells of the other's record.
	Within one community a name is still taken once."""
	autoname = doc.meta.autoname or ""
	if not autoname.startswith(("field:", "format:")):
		return
	from frappe.model.naming import set_name_from_naming_options

	set_community(doc)
	set_name_from_naming_options(autoname, doc)
	community_field = SCOPES[doc.doctype].community_field
	holder = frappe.db.get_value(doc.doctype, doc.name, [community_field], as_dict=True)
	if holder and holder[community_field] != doc.get(community_field):
		community_name = frappe.db.get_value(GRID, doc.get(community_field), "grid_name")
		doc.name = f"{doc.name}（{community_name}）"
