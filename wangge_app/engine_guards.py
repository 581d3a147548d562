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
from dataclasses import dataclass
from urllib.parse import unquote

import frappe
from frappe import _
from frappe.api import API_URL_MAP
from frappe.desk import search
from frappe.modules.utils import load_doctype_module
from frappe.utils import flt
from werkzeug.exceptions import HTTPException

from wangge_app.permissions import has_record_permission
from wangge_app.scopes import doctypes_on_disk

# Request arguments that name fields of the queried DocType, in Frappe's list, count, value,
# group-by, search and export endpoints.
FILTER_ARGUMENTS = ("filters", "or_filters", "current_filters")
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
	"sort_field",
	"workflow_state_field",
	"field_map",
)
# The fields a number card or dashboard chart aggregates, groups or counts by.
CHART_FIELDS = ("aggregate_function_based_on", "based_on", "group_by_based_on", "value_based_on")
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# A record name given where a filter may be: letters, digits, dashes, dots, spaces.
BARE_NAME = re.compile(r"[\w\-. ]*")
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


# Frappe's endpoints that may act on the app's DocTypes: each reads through `frappe.get_list` or
# `has_permission` and writes through `Document.save`, so the permission layer holds on them, and
# the field guard checks their arguments. Any other engine endpoint is refused for the app's
# DocTypes (deny by default): many read with `frappe.get_all` or the query builder, unchecked.
ENGINE_METHODS_FOR_APP_DOCTYPES = frozenset(
	{
		"frappe.client.get",
		"frappe.client.get_list",
		"frappe.client.get_value",
		"frappe.client.get_count",
		"frappe.client.insert",
		"frappe.client.save",
		"frappe.client.set_value",
		"frappe.client.delete",
		"frappe.client.submit",
		"frappe.client.cancel",
		"frappe.client.validate_link",
		"frappe.client.is_document_amended",
		"frappe.desk.form.load.getdoc",
		"frappe.desk.form.load.getdoctype",
		"frappe.desk.form.load.get_docinfo",
		"frappe.desk.form.save.savedocs",
		"frappe.desk.form.save.cancel",
		"frappe.desk.form.assign_to.add",
		"frappe.desk.form.assign_to.remove",
		"frappe.desk.form.assign_to.close",
		"frappe.desk.form.utils.add_comment",
		"frappe.desk.form.utils.remove_attach",
		"frappe.desk.reportview.get",
		"frappe.desk.reportview.get_list",
		"frappe.desk.reportview.get_count",
		"frappe.desk.reportview.export_query",
		"frappe.desk.reportview.delete_items",
		"frappe.desk.listview.get_list_settings",
		"frappe.desk.listview.get_group_by_count",
		"frappe.desk.search.search_link",
		"frappe.desk.search.search_widget",
		"frappe.desk.treeview.add_node",
		"frappe.desk.query_report.run",
		"frappe.desk.query_report.get_script",
		"frappe.desk.doctype.number_card.number_card.get_result",
		"frappe.desk.doctype.number_card.number_card.get_percentage_difference",
		"frappe.desk.like.toggle_like",
		"frappe.desk.doctype.tag.tag.add_tag",
		"frappe.desk.doctype.tag.tag.remove_tag",
		"frappe.model.workflow.apply_workflow",
		"frappe.model.workflow.get_transitions",
		"frappe.model.workflow.can_cancel_document",
		"frappe.model.utils.user_settings.get",
		"frappe.model.utils.user_settings.save",
		"frappe.workflow.doctype.workflow.workflow.get_workflow_state_count",
		"frappe.www.printview.get_html_and_style",
		"frappe.utils.print_format.download_pdf",
		"frappe.core.doctype.access_log.access_log.make_access_log",
		"frappe.desk.notifications.get_open_count",
		"frappe.core.doctype.doctype.doctype.get_row_size_utilization",
		"frappe.printing.page.print.print.get_print_settings_to_show",
		"upload_file",
	}
)
# Of those, the ones that change a record named in the request (the rest must be able to read it).
RECORD_WRITING_METHODS = frozenset(
	{
		"frappe.desk.doctype.tag.tag.add_tag",
		"frappe.desk.doctype.tag.tag.remove_tag",
		"frappe.desk.form.utils.remove_attach",
		"upload_file",
	}
)
DOCTYPE_ARGUMENTS = ("doctype", "dt", "reference_doctype", "ref_doctype", "parenttype", "attached_to_doctype")
NAME_ARGUMENTS = ("name", "docname", "dn", "reference_name", "attached_to_name")
# Documents sent whole: a form's document, a number card or chart, run_doc_method's (v1 `docs`, v2 `document`).
DOCUMENT_ARGUMENTS = ("doc", "chart", "docs", "document")


def guard_request():
	"""auth_hooks: runs once per request, after Frappe has authenticated the user (session, token
	or API key), before the request is handled."""
	if frappe.session.user == "Administrator":
		return
	form = frappe.local.form_dict
	call = requested_call(form)
	documents = [parse(form.get(key)) for key in DOCUMENT_ARGUMENTS]
	documents = [document for document in documents if isinstance(document, dict)]
	doctype = requested_doctype(form, call, documents)
	refuse_list_pages_of_app_doctypes(form)
	refuse_unguarded_engine_methods(form, call, doctype, documents)
	arguments = {key: form.get(key) for key in (*FILTER_ARGUMENTS, *FIELD_ARGUMENTS) if form.get(key)}
	check_readable_fields(doctype, arguments)
	check_report_custom_columns(form.get("custom_columns"))
	check_report_custom_columns(saved_report_columns(form.get("report_name")))
	# Number cards and dashboard charts send their DocType and fields inside a JSON document; the
	# engine puts those fields into SQL as they are, so each must be one field of that DocType.
	for definition in documents:
		if definition.get("document_type"):
			fields = [definition.get(name) for name in CHART_FIELDS if definition.get(name)]
			for fieldname in fields:
				if not is_field_of(definition["document_type"], fieldname):
					frappe.throw(
						_("{0} is not a field of {1}.").format(fieldname, _(definition["document_type"]))
					)
			check_readable_fields(
				definition["document_type"], {"filters": definition.get("filters_json"), "fields": fields}
			)


def check_report_custom_columns(columns) -> None:
	"""A query report's columns taken from a linked DocType (`custom_columns` of query_report.run and
	export_query, or saved in a custom report): the engine reads that field of every record of the DocType
	with `frappe.get_all`, past the permission layer, and puts the field name into SQL as given (a
	`sleep(…)` there times any resident's ID number). Refused for the app's DocTypes; for other DocTypes
	only a field of the DocType."""
	columns = parse(columns)
	if not columns:
		return
	for column in columns if isinstance(columns, list) else [columns]:
		if not isinstance(column, dict) or not column.get("link_field"):
			continue
		doctype, fieldname = column.get("doctype"), column.get("fieldname")
		if (
			not isinstance(doctype, str)
			or app_doctype(doctype)
			or not frappe.db.exists("DocType", doctype, cache=True)
			or not is_field_of(doctype, fieldname)
		):
			frappe.throw(
				_("Columns of linked records cannot be added to this report."), frappe.PermissionError
			)


def saved_report_columns(report_name) -> list | None:
	"""The columns a saved custom report adds to its query report."""
	if not isinstance(report_name, str) or not report_name:
		return None
	saved = frappe.db.get_value("Report", {"name": report_name, "report_type": "Custom Report"}, "json")
	saved = parse(saved)
	return saved.get("columns") if isinstance(saved, dict) else None


def check_saved_report_columns(doc, method=None):
	"""Report validate: a custom report (query_report.save_report saves one for anyone who may run the
	report) may not add columns the request itself could not."""
	if frappe.session.user == "Administrator" or frappe.flags.in_install or frappe.flags.in_migrate:
		return
	if doc.report_type == "Custom Report" and doc.json:
		saved = parse(doc.json)
		check_report_custom_columns(saved.get("columns") if isinstance(saved, dict) else None)


def refuse_list_pages_of_app_doctypes(form) -> None:
	"""Frappe's portal list page (www/list.py: the route /list?doctype=…, or a DocType's name as the
	route) runs frappe.www.list.get, which the allowlist refuses as a method: every argument naming a
	field becomes a filter (an ID number or a voucher code guessed prefix by prefix), and the rows are
	rendered from whole documents. The page is not a method call, so it is refused here."""
	request = getattr(frappe.local, "request", None)
	if not request:
		return
	route = unquote(request.path).strip("/").lower()
	doctype = form.get("doctype") if route == "list" else route
	if isinstance(doctype, str) and doctype.lower() in {name.lower() for name in doctypes_on_disk()}:
		frappe.throw(_("This page is not available."), frappe.PermissionError)


# How the guard reads each route of the engine's /api URL map (`frappe.api.API_URL_MAP`, Frappe
# v15.41: /api/…, /api/v1/… and /api/v2/…). A route the guard does not know is refused: a later engine
# may add one, and `test_engine_guards` fails on any route of the running engine missing here.
RPC = "method call"  # the whitelisted method named in the path
RPC_FIXED = "fixed method call"  # the method the path's last part names
DOCTYPE_RPC = "DocType method call"  # a function of a DocType's controller module (v2)
DOCUMENT = "document"  # a DocType (and a record) named in the path, read or written by Document
API_ROUTES = {
	"/api/method/<path:method>": RPC,
	"/api/v1/method/<path:method>": RPC,
	"/api/resource/<doctype>": DOCUMENT,
	"/api/v1/resource/<doctype>": DOCUMENT,
	"/api/resource/<doctype>/<path:name>/": DOCUMENT,
	"/api/v1/resource/<doctype>/<path:name>/": DOCUMENT,
	"/api/v2/method/login": RPC_FIXED,
	"/api/v2/method/logout": RPC_FIXED,
	"/api/v2/method/ping": RPC_FIXED,
	"/api/v2/method/upload_file": RPC_FIXED,
	"/api/v2/method/run_doc_method": RPC_FIXED,
	"/api/v2/method/<method>": RPC,
	"/api/v2/method/<doctype>/<method>": DOCTYPE_RPC,
	"/api/v2/document/<doctype>": DOCUMENT,
	"/api/v2/document/<doctype>/<path:name>/": DOCUMENT,
	"/api/v2/document/<doctype>/<path:name>/method/<method>/": DOCUMENT,
	"/api/v2/doctype/<doctype>/meta": DOCUMENT,
	"/api/v2/doctype/<doctype>/count": DOCUMENT,
}


@dataclass(frozen=True)
class RequestedCall:
	"""What the engine will do with the request: the whitelisted method it runs, or the DocType and
	record its REST route acts on."""

	method: str | None = None
	doctype: str | None = None
	name: str | None = None


def requested_call(form) -> RequestedCall:
	"""Read the request as the engine dispatches it (frappe.app: a `cmd` argument first, then /api
	through the engine's own URL map)."""
	if form.get("cmd"):
		return RequestedCall(method=form.get("cmd"))
	request = getattr(frappe.local, "request", None)
	if not request or not request.path.startswith("/api/"):
		return RequestedCall()
	try:
		rule, arguments = API_URL_MAP.bind_to_environ(request.environ).match(return_rule=True)
	except HTTPException:
		return RequestedCall()  # the engine answers 404 or 405 itself
	kind = API_ROUTES.get(rule.rule)
	if kind is None:
		frappe.throw(_("This address is not available."), frappe.PermissionError)
	if kind == RPC:
		# v1 runs the part before the first slash (frappe.api.v1.handle_rpc_call).
		return RequestedCall(method=arguments["method"].split("/")[0])
	if kind == RPC_FIXED:
		return RequestedCall(method=rule.rule.rsplit("/", 1)[-1])
	if kind == DOCTYPE_RPC:
		return RequestedCall(
			method=doctype_module_method(arguments["doctype"], arguments["method"]),
			doctype=arguments["doctype"],
		)
	return RequestedCall(doctype=arguments.get("doctype"), name=arguments.get("name"))


def doctype_module_method(doctype: str, method: str) -> str | None:
	"""The method /api/v2/method/<doctype>/<method> runs: a function of the DocType's controller
	module (frappe.api.v2.handle_rpc_call)."""
	try:
		return f"{load_doctype_module(doctype).__name__}.{method}"
	except Exception:
		return None  # no such DocType: the engine refuses the call itself


def requested_doctype(form, call: RequestedCall, documents) -> str | None:
	if form.get("doctype"):
		return form.get("doctype")
	if call.doctype:
		return call.doctype
	for document in documents:
		if document.get("document_type") or document.get("doctype"):
			return document.get("document_type") or document.get("doctype")
	return None


def refuse_unguarded_engine_methods(form, call: RequestedCall, doctype, documents) -> None:
	method = call.method
	if not method or method.startswith("wangge_app."):
		return
	named = {form.get(key) for key in DOCTYPE_ARGUMENTS} | {doctype}
	named |= {document.get(key) for document in documents for key in ("doctype", "document_type")}
	app_doctypes = [name for name in named if app_doctype(name)]
	if not app_doctypes:
		return
	if method not in ENGINE_METHODS_FOR_APP_DOCTYPES:
		frappe.throw(
			_("{0} is not available for {1}.").format(frappe.bold(method), _(app_doctypes[0])),
			frappe.PermissionError,
		)
	ptype = "write" if method in RECORD_WRITING_METHODS else "read"
	for record_doctype, record in named_records(form, documents):
		if frappe.db.exists(record_doctype, record) and not has_record_permission(
			record_doctype, ptype, record
		):
			frappe.throw(
				_("You are not permitted to access {0} {1}.").format(_(record_doctype), frappe.bold(record)),
				frappe.PermissionError,
			)


def named_records(form, documents):
	"""The stored records of the app a request names: by DocType and name arguments, or as a document
	sent whole (run_doc_method runs a controller method on the document as sent, once the user may
	read it as sent)."""
	record = next((form.get(key) for key in NAME_ARGUMENTS if isinstance(form.get(key), str)), None)
	record_doctype = next((form.get(key) for key in DOCTYPE_ARGUMENTS if app_doctype(form.get(key))), None)
	if record and record_doctype:
		yield record_doctype, record
	for document in documents:
		if app_doctype(document.get("doctype")) and isinstance(document.get("name"), str):
			yield document["doctype"], document["name"]


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
	"""The fields a filter argument names. A condition given as text is SQL to the engine's list
	query: only a bare name (which some endpoints read as a record name) passes."""
	conditions = []
	if isinstance(filters, str):
		filters = [filters]
	if isinstance(filters, dict):
		conditions = [(doctype, fieldname) for fieldname in filters]
	elif isinstance(filters, list | tuple):
		for condition in filters:
			if isinstance(condition, list | tuple) and len(condition) >= 4:
				conditions.append((condition[0] or doctype, condition[1]))
			elif isinstance(condition, list | tuple) and condition:
				conditions.append((doctype, condition[0]))
			elif isinstance(condition, str):
				if not BARE_NAME.fullmatch(condition):
					frappe.throw(
						_("Give each filter as a field, an operator and a value."), frappe.PermissionError
					)
				conditions.append((doctype, condition))
	for table, fieldname in conditions:
		if isinstance(table, str) and table and isinstance(fieldname, str):
			yield table, fieldname


def parse(value):
	"""JSON arguments as Frappe reads them (json.loads skips leading white space)."""
	if isinstance(value, str) and value.strip()[:1] in ("[", "{"):
		try:
			return json.loads(value)
		except ValueError:
			return value
	return value


def is_field_of(doctype: str, fieldname) -> bool:
	if not isinstance(fieldname, str) or not IDENTIFIER.fullmatch(fieldname):
		return False
	return fieldname == "name" or bool(frappe.get_meta(doctype).get_field(fieldname))


def readable(doctype: str, fieldname: str, parent: str | None = None) -> bool:
	"""Whether the user may read this field: it is not at a permission level the user lacks."""
	names = IDENTIFIER.findall(fieldname.split(".")[-1])
	fieldname = names[0] if names else fieldname
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


@frappe.whitelist()
def get_html_and_style(
	doc,
	name=None,
	print_format=None,
	no_letterhead=None,
	letterhead=None,
	trigger_print=False,
	style=None,
	settings=None,
):
	"""frappe.www.printview.get_html_and_style, printing a record of the app as it is stored. The desk's
	print page sends the whole document, which the engine prints as sent once the user may read a record
	of that name: a document naming records of other grids in its links prints their titles (a
	resident's name, a household's address) and whatever the print format reads from them."""
	from frappe.www import printview

	document = parse(doc) if not isinstance(name, str) else None
	if isinstance(document, dict) and app_doctype(document.get("doctype")):
		stored = document.get("name")
		if (
			not isinstance(stored, str)
			or document.get("__islocal")
			or not frappe.db.exists(document["doctype"], stored)
		):
			frappe.throw(_("Save the {0} before printing it.").format(_(document["doctype"])))
		doc, name = document["doctype"], stored
	return printview.get_html_and_style(
		doc, name, print_format, no_letterhead, letterhead, trigger_print, style, settings
	)


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


@frappe.whitelist()
def get_group_by_count(doctype: str, current_filters: str, field: str) -> list[dict]:
	"""frappe.desk.listview.get_group_by_count: the engine counts assignments of any records that
	match the filters, past the permission layer; here only of the records the user may see."""
	from frappe.desk import listview

	if field != "assigned_to":
		return listview.get_group_by_count(doctype, current_filters, field)
	names = frappe.get_list(
		doctype, filters=frappe.parse_json(current_filters), pluck="name", limit_page_length=0
	)
	if not names:
		return []
	return frappe.get_all(
		"ToDo",
		filters={"reference_type": doctype, "reference_name": ("in", names), "status": ("!=", "Cancelled")},
		fields=["allocated_to as name", "count(*) as count"],
		group_by="allocated_to",
		order_by="count desc",
		limit=50,
	)


@frappe.whitelist()
def get_workflow_state_count(doctype: str, workflow_state_field: str, states) -> list[dict]:
	"""The workflow's state counts of the list sidebar: only of the workflow's state field, and only
	of the records the user may see (the engine groups any field of every record)."""
	from frappe.model.workflow import get_workflow_name

	workflow = get_workflow_name(doctype)
	if not workflow or workflow_state_field != frappe.db.get_value(
		"Workflow", workflow, "workflow_state_field"
	):
		frappe.throw(_("{0} is not the workflow state of {1}.").format(workflow_state_field, _(doctype)))
	states = frappe.parse_json(states) or []
	rows = frappe.get_list(
		doctype,
		fields=[f"`{workflow_state_field}` as state", "count(*) as count"],
		filters={workflow_state_field: ["not in", states]} if states else None,
		group_by=workflow_state_field,
		order_by="count desc",
	)
	return [{workflow_state_field: row.state, "count": row.count} for row in rows if row.state]


def check_attachment_target(doc, method=None):
	"""File before_insert: a file attached to a record of the app needs write permission on it, and
	a new File may not point at a private file the user cannot read (the engine serves a private
	file to anyone owning a File with its URL)."""
	if frappe.session.user == "Administrator" or frappe.flags.in_install or frappe.flags.in_migrate:
		return
	if doc.file_url and doc.file_url.startswith("/private/"):
		existing = frappe.get_all(
			"File", {"file_url": doc.file_url}, ["owner", "attached_to_doctype", "attached_to_name"]
		)
		if existing and not any(file_readable(file) for file in existing):
			frappe.throw(_("You are not permitted to use this file."), frappe.PermissionError)
	if app_doctype(doc.attached_to_doctype) and doc.attached_to_name:
		if not has_record_permission(doc.attached_to_doctype, "write", doc.attached_to_name):
			frappe.throw(
				_("You are not permitted to attach files to {0} {1}.").format(
					_(doc.attached_to_doctype), frappe.bold(doc.attached_to_name)
				),
				frappe.PermissionError,
			)


@frappe.whitelist()
def get_open_count(doctype: str, name: str, items=None) -> dict:
	"""The counts of the form's connections panel (frappe.desk.notifications.get_open_count, same
	answer), counting only the linked records the user may see: the engine counts every one with
	`frappe.get_all`. Links held in the record itself (`internal_links`) count the linked records the
	user may see; records linking to it are counted through `frappe.get_list`."""
	from frappe.desk import notifications

	found = {"external_links_found": [], "internal_links_found": []}
	if frappe.flags.in_migrate or frappe.flags.in_install:
		return {"count": found}
	doc = frappe.get_doc(doctype, name)
	doc.check_permission()
	links = doc.meta.get_dashboard_data()
	if items is None:
		items = [item for group in links.transactions for item in group.get("items")]
	items = frappe.parse_json(items) if isinstance(items, str) else items
	for linked in items or []:
		internal = links.get("internal_links", {}).get(linked) or links.get(
			"internal_and_external_links", {}
		).get(linked)
		if internal:
			names = visible_names(linked, notifications.get_internal_links(doc, internal, linked)["names"])
			if names:
				found["internal_links_found"].append(
					{"doctype": linked, "open_count": 0, "count": len(names), "names": names}
				)
				continue
			try:  # as the engine does: no internal link found, look for records linking here
				counts = external_link_counts(linked, name, links)
			except Exception:
				counts = {"doctype": linked, "open_count": 0, "count": 0}
		else:
			counts = external_link_counts(linked, name, links)
		found["external_links_found"].append(counts)
	result = {"count": found}
	if not doc.meta.custom and hasattr(module := frappe.get_meta_module(doctype), "get_timeline_data"):
		result["timeline_data"] = module.get_timeline_data(doctype, name)
	return result


def external_link_counts(linked: str, name: str, links) -> dict:
	from frappe.desk import notifications

	fieldname = links.get("non_standard_fieldnames", {}).get(linked, links.get("fieldname"))
	filters = {fieldname: name, **(notifications.get_dynamic_link_filters(linked, links, fieldname) or {})}
	counts = {"doctype": linked, "count": count_visible(linked, filters), "open_count": 0}
	if open_filters := notifications.get_filters_for(linked):
		counts["open_count"] = count_visible(linked, {**filters, **open_filters})
	return counts


def visible_names(doctype: str, names: list[str]) -> list[str]:
	if not names or not frappe.has_permission(doctype, "read"):
		return []
	visible = set(frappe.get_list(doctype, filters={"name": ("in", names)}, pluck="name"))
	return [name for name in names if name in visible]


def count_visible(doctype: str, filters: dict, limit: int = 100) -> int:
	if not frappe.has_permission(doctype, "read"):
		return 0
	return len(frappe.get_list(doctype, filters=filters, pluck="name", limit=limit, distinct=True))


def file_readable(file) -> bool:
	if file.owner == frappe.session.user:
		return True
	return bool(
		file.attached_to_doctype
		and file.attached_to_name
		and has_record_permission(file.attached_to_doctype, "read", file.attached_to_name)
	)


@frappe.whitelist()
def get_row_size_utilization(doctype: str) -> float:
	"""How full a DocType's table row is, shown by Customize Form: for those who may customise forms
	(the engine asks for read permission on DocType, which a Community Manager does not have)."""
	if not (frappe.has_permission("DocType") or frappe.has_permission("Customize Form", "write")):
		frappe.throw(_("You are not permitted to customise forms."), frappe.PermissionError)
	try:
		return flt(frappe.db.get_row_size(doctype) / frappe.db.MAX_ROW_SIZE_LIMIT * 100, 2)
	except Exception:
		return 0.0
