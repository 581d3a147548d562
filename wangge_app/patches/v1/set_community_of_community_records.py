# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Spaces, bookings, resident groups, activities, programmes, service stations and their logs now
belong to a community. A site of one community gives them that community. On a site of several, each
takes the community of the record it comes from (a booking its space's) where that is known; the
rest keep no community, which only users who see every grid see, until a manager chooses one."""

import frappe

from wangge_app.permissions import COMMUNITY_LEVEL, GRID
from wangge_app.scopes import SCOPES


def execute():
	communities = frappe.get_all(GRID, {"grid_level": COMMUNITY_LEVEL}, pluck="name", limit=2)
	# Sources first: a booking takes its space's community once the space has one.
	doctypes = sorted(
		(doctype for doctype, scope in SCOPES.items() if scope.community_field),
		key=lambda doctype: bool(SCOPES[doctype].community_from),
	)
	for doctype in doctypes:
		scope = SCOPES[doctype]
		table = frappe.qb.DocType(doctype)
		missing = (table[scope.community_field].isnull()) | (table[scope.community_field] == "")
		if len(communities) == 1:
			frappe.qb.update(table).set(table[scope.community_field], communities[0]).where(missing).run()
		elif scope.community_from:
			source_doctype = frappe.get_meta(doctype).get_field(scope.community_from).options
			field, source_field = scope.community_field, SCOPES[source_doctype].community_field
			frappe.db.sql(
				f"""update `tab{doctype}` record join `tab{source_doctype}` source
				on source.name = record.`{scope.community_from}`
				set record.`{field}` = source.`{source_field}`
				where ifnull(record.`{field}`, '') = ''"""
			)
