# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Guards on Frappe's own endpoints that would otherwise read past the app's permission layer.

Each is a Frappe extension point (`override_whitelisted_methods`, `auth_hooks`), so it holds on
the pre-release engine the harness builds and on current Frappe 15 releases alike; SECURITY.md
lists them and why:

- `frappe.client.get_count` counts through `frappe.get_list`, with the user's permissions (the
  pre-release counts any DocType with any filter unchecked);
- `frappe.desk.search.search_widget` / `search_link` keep the permission layer for the app's
  DocTypes even when asked to `ignore_user_permissions` (which skips every check there), and a
  search `query` that names an overridden method runs the override;
- `frappe.desk.form.load.getdoc` / `get_docinfo` hide, in the version history they send to the
  form, the old and new values of fields the user may not read (the engine reads versions unchecked);
- every request: filters, fields, grouping and sorting may not name a field the user cannot read
  (a field at a permission level the user has no access to), so that counting or sorting by an
  ID number cannot reconstruct it.
"""

import json
import re
from urllib.parse import unquote

import frappe
from frappe import _
from frappe.desk import search

from wangge_app.scopes import doctypes_on_disk

# Request arguments that name fields of the queried DocType, in Frappe's list, count, value,
# group-by, search and export endpoints.
FILTER_ARGUMENTS = ("filters", "or_filters")
FIELD_ARGUMENTS = (
	"fields",
	"filter_fields",
	"group_by",
	"order_by",
	"fieldname",
	"field",
	"field_name",
	"searchfield",
	"stats",
	"columns",
	"aggregate_on",
	"pluck",
)
# The fields a number card or dashboard chart aggregates, groups or counts by.
CHART_FIELDS = ("aggregate_function_based_on", "based_on", "group_by_based_on", "value_based_on")
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
TABLE_NAME = re.compile(r"`?tab([A-Za-z0-9_ \-]+?)`?\.")


@frappe.whitelist()
def get_count(doctype: str, filters=None, debug=False, cache=False) -> int:
	"""frappe.client.get_count, counting only the records the user may read."""
	check_readable_fields(doctype, {"filters": filters})
	result = frappe.get_list(doctype, filters=filters, fields=["count(*) as total"], order_by=None)
	return result[0].total if result else 0


def app_doctype(doctype) -> bool:
	return isinstance(doctype, str) and doctype in doctypes_on_disk()


def guarded_search_args(kwargs: dict) -> dict:
	doctype = kwargs.get("doctype")
	if app_doctype(doctype):
		kwargs["ignore_user_permissions"] = False
	check_readable_fields(doctype, {"filters": kwargs.get("filters"), "fields": kwargs.get("filter_fields")})
	query = kwargs.get("query")
	if isinstance(query, str) and query in frappe.get_hooks("override_whitelisted_methods", {}):
		# The search would call the engine's own method by name, past its guard.
		frappe.throw(_("{0} is not a search query.").format(frappe.bold(query)), frappe.PermissionError)
	return kwargs


@frappe.whitelist()
def search_widget(**kwargs):
	"""frappe.desk.search.search_widget within the permission layer."""
	return frappe.call(search.search_widget, **guarded_search_args(kwargs))


@frappe.whitelist()
def search_link(**kwargs):
	"""frappe.desk.search.search_link within the permission layer."""
	return frappe.call(search.search_link, **guarded_search_args(kwargs))


def refuse_unreadable_field_queries():
	"""auth_hooks: runs once per request, after Frappe has authenticated the user (session, token
	or API key), before the request is handled."""
	form = frappe.local.form_dict
	doctype = form.get("doctype")
	path = frappe.request.path if getattr(frappe.local, "request", None) else ""
	if not doctype and path.startswith("/api/resource/") and len(path.split("/")) > 3:
		doctype = unquote(path.split("/")[3])
	arguments = {key: form.get(key) for key in (*FILTER_ARGUMENTS, *FIELD_ARGUMENTS) if form.get(key)}
	check_readable_fields(doctype, arguments)
	# Number cards and dashboard charts send their DocType and fields inside a JSON document.
	for key in ("doc", "chart"):
		definition = parse(form.get(key))
		if isinstance(definition, dict) and definition.get("document_type"):
			fields = [definition.get(name) for name in CHART_FIELDS if definition.get(name)]
			check_readable_fields(
				definition["document_type"], {"filters": definition.get("filters_json"), "fields": fields}
			)


def check_readable_fields(doctype, arguments: dict) -> None:
	"""Refuse a query whose filters, fields, grouping or sorting name a field of `doctype` (or of a
	table it names, such as a child table) that the user may not read. Filters of the form
	[doctype, field, operator, value] name their DocType themselves."""
	if frappe.session.user == "Administrator":
		return
	doctype = doctype if isinstance(doctype, str) and doctype else None
	for table, fieldname in referenced_fields(doctype, arguments):
		if not readable(table, fieldname, parent=doctype if table != doctype else None):
			frappe.throw(
				_("You cannot filter, group or sort by {0}.").format(
					frappe.bold(_(frappe.get_meta(table).get_label(fieldname)))
				),
				frappe.PermissionError,
			)


def referenced_fields(doctype: str | None, arguments: dict):
	"""(DocType, fieldname) pairs that the arguments name."""
	for key, value in arguments.items():
		value = parse(value)
		if not value:
			continue
		if key in FILTER_ARGUMENTS:
			yield from filter_fields(doctype, value)
		elif doctype:
			text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
			tables = {doctype, *TABLE_NAME.findall(text)}
			for table in tables:
				for token in set(IDENTIFIER.findall(text)):
					yield table, token


def filter_fields(doctype: str | None, filters):
	conditions = []
	if isinstance(filters, dict):
		conditions = [(doctype, fieldname) for fieldname in filters]
	elif isinstance(filters, list | tuple):
		for condition in filters:
			if isinstance(condition, list | tuple) and len(condition) >= 4:
				conditions.append((condition[0] or doctype, condition[1]))
			elif isinstance(condition, list | tuple) and condition:
				conditions.append((doctype, condition[0]))
			elif isinstance(condition, str):
				conditions.append((doctype, condition))
	for table, fieldname in conditions:
		if isinstance(table, str) and table and isinstance(fieldname, str):
			yield table, fieldname


def parse(value):
	if isinstance(value, str) and value[:1] in "[{":
		try:
			return json.loads(value)
		except ValueError:
			return value
	return value


def readable(doctype: str, fieldname: str, parent: str | None = None) -> bool:
	"""Whether the user may read this field: it is not at a permission level the user lacks."""
	fieldname = fieldname.strip("` ").split(".")[-1].strip("` ")
	if not frappe.db.exists("DocType", doctype, cache=True):
		return True
	meta = frappe.get_meta(doctype)
	df = meta.get_field(fieldname)
	if not df or not df.permlevel:
		return True
	return df.permlevel in meta.get_permlevel_access("read", parenttype=parent if meta.istable else None)


@frappe.whitelist()
def getdoc(doctype, name, user=None):
	"""frappe.desk.form.load.getdoc, without the values of unreadable fields in the version history."""
	from frappe.desk.form import load

	load.getdoc(doctype, name)
	hide_unreadable_version_values(frappe.response.get("docinfo"), doctype)


@frappe.whitelist()
def get_docinfo(doc=None, doctype=None, name=None):
	"""frappe.desk.form.load.get_docinfo, without the values of unreadable fields in the version history."""
	from frappe.desk.form import load

	load.get_docinfo(doc, doctype, name)
	docinfo = frappe.response.get("docinfo")
	hide_unreadable_version_values(docinfo, docinfo and docinfo.get("doctype"))


HIDDEN_VALUE = "***"


def hide_unreadable_version_values(docinfo, doctype) -> None:
	"""The form's timeline shows each version's old and new values; Frappe's engine reads them
	without field permissions, so a field the user may not read would show there."""
	if not docinfo or not doctype or frappe.session.user == "Administrator":
		return
	for version in docinfo.get("versions") or []:
		data = parse(version.get("data"))
		if not isinstance(data, dict):
			continue
		for change in data.get("changed") or []:
			if len(change) == 3 and not readable(doctype, str(change[0])):
				change[1] = change[2] = HIDDEN_VALUE
		for key in ("added", "removed"):
			for table_field, row in data.get(key) or []:
				child = child_doctype(doctype, table_field)
				if child and isinstance(row, dict):
					for fieldname in row:
						if not readable(child, fieldname, parent=doctype):
							row[fieldname] = HIDDEN_VALUE
		for table_field, _idx, _row, changes in data.get("row_changed") or []:
			child = child_doctype(doctype, table_field)
			for change in changes:
				if child and len(change) == 3 and not readable(child, str(change[0]), parent=doctype):
					change[1] = change[2] = HIDDEN_VALUE
		version["data"] = json.dumps(data, ensure_ascii=False)


def child_doctype(doctype: str, table_field: str) -> str | None:
	df = frappe.get_meta(doctype).get_field(table_field)
	return df.options if df and df.fieldtype in ("Table", "Table MultiSelect") else None
