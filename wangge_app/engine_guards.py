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

import inspect
import json
import re
from dataclasses import dataclass
from urllib.parse import unquote

import frappe
from frappe import _
from frappe.api import API_URL_MAP
from frappe.desk import search
from frappe.model.db_query import DatabaseQuery
from frappe.model.document import Document
from frappe.model.utils import is_virtual_doctype
from frappe.modules.utils import load_doctype_module
from frappe.utils import cint, escape_html, flt
from werkzeug.exceptions import HTTPException

from wangge_app.permissions import has_record_permission
from wangge_app.scopes import doctypes_on_disk
from wangge_app.utils.validation import json_argument

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
	check_doctype_argument(doctype)
	filters = json_argument(filters, "filters")
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
	check_required_arguments(search.search_widget, kwargs)
	return frappe.call(search.search_widget, **guarded_search_args(kwargs))


@frappe.whitelist()
def search_link(**kwargs):
	"""frappe.desk.search.search_link within the permission layer."""
	check_required_arguments(search.search_link, kwargs)
	return frappe.call(search.search_link, **guarded_search_args(kwargs))


# Bad input answered with a message instead of an error 500 (the engine lets a TypeError, an ImportError
# or a JSONDecodeError through for each of these).
def check_required_arguments(function, arguments: dict) -> None:
	"""Frappe calls a method without the arguments a request leaves out, and one it needs is a TypeError."""
	missing = [
		parameter.name
		for parameter in inspect.signature(function).parameters.values()
		if parameter.default is parameter.empty
		and parameter.kind in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY)
		and parameter.name not in arguments
	]
	if missing:
		frappe.throw(_("Missing argument: {0}.").format(", ".join(missing)), title=_("Missing Input"))


def check_doctype_argument(doctype) -> None:
	if not isinstance(doctype, str) or not doctype or not frappe.db.exists("DocType", doctype, cache=True):
		frappe.throw(
			_("{0} is not a DocType.").format(frappe.bold(escape_html(str(doctype)[:140]))),
			frappe.DoesNotExistError,
			title=_("Invalid Input"),
		)


def check_record_arguments(doctype, name) -> None:
	check_doctype_argument(doctype)
	if not isinstance(name, str) or not name:
		frappe.throw(_("Give the name of the {0}.").format(_(doctype)), title=_("Invalid Input"))


def check_app_method_arguments(method: str | None, form) -> None:
	"""The app's whitelisted methods (and the engine's methods they override), called without an
	argument they need."""
	if not method:
		return
	method = (frappe.get_hooks("override_whitelisted_methods", {}).get(method) or [method])[-1]
	if not method.startswith("wangge_app."):
		return
	try:
		function = frappe.get_attr(method)
	except Exception:
		return  # no such method: the engine refuses it
	if function not in frappe.whitelisted:
		return
	if frappe.session.user == "Guest" and function not in frappe.guest_methods:
		return  # the engine refuses the guest first
	check_required_arguments(function, form)


# frappe.desk.reportview's list endpoints pass every argument of the request to DatabaseQuery.execute
# (after dropping these, reportview.clean_params), and read some as JSON (reportview.parse_json).
LIST_QUERY_METHODS = (
	"frappe.desk.reportview.get",
	"frappe.desk.reportview.get_list",
	"frappe.desk.reportview.get_count",
)
LIST_QUERY_DROPPED_ARGUMENTS = ("cmd", "data", "ignore_permissions", "view", "user", "csrf_token", "join")
LIST_QUERY_JSON_ARGUMENTS = ("filters", "or_filters", "fields", "docstatus", "save_user_settings")


# Query reports read their filters as a JSON object (frappe.desk.query_report.run, export_query); other
# JSON is an error 500 there, for every report.
QUERY_REPORT_METHODS = ("frappe.desk.query_report.run", "frappe.desk.query_report.export_query")


def check_report_filters_argument(method: str | None, form) -> None:
	if method in QUERY_REPORT_METHODS:
		filters = json_argument(form.get("filters"), "filters")
		if filters is not None and not isinstance(filters, dict):
			frappe.throw(_("Give the report's filters as a JSON object."), title=_("Invalid Input"))


def check_list_query_arguments(method: str | None, form) -> None:
	"""An argument DatabaseQuery.execute does not take (`parent` for a child table's rows, say) is a
	TypeError there, and text that is not JSON a JSONDecodeError in reportview."""
	if method not in LIST_QUERY_METHODS or is_virtual_doctype(form.get("doctype")):
		return
	taken = {"doctype", *LIST_QUERY_DROPPED_ARGUMENTS, *inspect.signature(DatabaseQuery.execute).parameters}
	unknown = sorted(set(form) - taken)
	if "parent" in unknown:
		frappe.throw(
			_("Give the DocType whose table rows are read as parent_doctype, not parent."),
			title=_("Invalid Input"),
		)
	if unknown:
		frappe.throw(
			_("{0} does not take the argument {1}.").format(method, frappe.bold(escape_html(unknown[0]))),
			title=_("Invalid Input"),
		)
	for key in LIST_QUERY_JSON_ARGUMENTS:
		value = form.get(key)
		if not isinstance(value, str) or (key == "fields" and value == "*"):
			continue
		if value or key in ("docstatus", "save_user_settings"):
			try:
				json.loads(value)
			except ValueError:
				frappe.throw(_("{0} is not valid JSON.").format(key), title=_("Invalid Input"))


@dataclass(frozen=True)
class EngineMethod:
	"""How the guard treats one of Frappe's whitelisted methods called about a DocType of the app."""

	reason: str
	allowed: bool = True
	# The permission checked on the stored record the request names ("read" or "write").
	ptype: str = "read"
	# Arguments naming the DocType and the record, beyond the usual ones (DOCTYPE_ARGUMENTS, NAME_ARGUMENTS).
	doctype: str | None = None
	record: str | None = None
	# An argument naming several records of that DocType (a JSON list of names): each is checked.
	records: str | None = None
	# False where the method answers for a record the user may not read itself (no data, no error).
	checks_record: bool = True
	# An argument naming a user, which must be the user making the request.
	own_user: str | None = None
	# An argument naming another whitelisted method that this one runs: only the app's own methods, or
	# those of `may_run`, whatever the request names.
	runs: str | None = None
	may_run: frozenset = frozenset()


def allowed(reason: str, **arguments) -> EngineMethod:
	return EngineMethod(reason, **arguments)


def refused(reason: str) -> EngineMethod:
	return EngineMethod(reason, allowed=False)


# Why a method is allowed for the app's DocTypes.
READS_LISTS = "reads through frappe.get_list: the permission layer's query conditions hold"
READS_RECORD = "acts on the record named, which the user must be able to read"
WRITES_RECORD = "changes the record named, which the user must be able to write"
SAVES = "writes through Document.insert/save/submit/cancel/delete, which check the user's permission and run the app's validations"
METADATA = "reads the DocType's metadata or the user's own settings, no record"
OVERRIDDEN = "overridden in hooks.py by a method of this module that keeps to the permission layer"
# Why one is refused.
NOT_FOR_APP = (
	"does not act on the DocType named in the request: the desk never calls it about the app's records"
)
ADMINISTRATION = "administration or customisation, for System Managers (Administrator is not guarded)"

# Every whitelisted method of the engine that the desk's JavaScript calls (the built bundles, Frappe's
# public/js and its pages' scripts), and those the app's own forms call, as the guard treats them when a
# request names a DocType of the app: allowed, with the permission checked on the record it names, or
# refused, with the reason. A method missing here is refused (deny by default);
# test_engine_guards.TestDeskMethodsAreClassified fails when the desk calls a method missing here.
ENGINE_METHODS = {
	# Records through frappe.client and the form.
	"frappe.client.get": allowed(READS_RECORD, record="name"),
	"frappe.client.get_list": allowed(READS_LISTS),
	"frappe.client.get_value": allowed(READS_LISTS),
	"frappe.client.get_count": allowed(OVERRIDDEN),
	"frappe.client.get_single_value": allowed("reads a Single DocType once the user may read it"),
	"frappe.client.insert": allowed(SAVES),
	"frappe.client.save": allowed(SAVES),
	"frappe.client.set_value": allowed(SAVES, ptype="write"),
	"frappe.client.delete": allowed(SAVES, ptype="write"),
	"frappe.client.submit": allowed(SAVES),
	"frappe.client.cancel": allowed(SAVES, ptype="write"),
	"frappe.client.validate_link": allowed(READS_RECORD, record="docname"),
	"frappe.client.is_document_amended": allowed(READS_RECORD, record="docname"),
	"frappe.client.get_doc_permissions": allowed(READS_RECORD, record="docname"),
	"frappe.client.has_permission": allowed(READS_RECORD, record="docname"),
	"frappe.desk.form.load.getdoc": allowed(OVERRIDDEN),
	"frappe.desk.form.load.getdoctype": allowed(METADATA),
	"frappe.desk.form.load.get_docinfo": allowed(OVERRIDDEN),
	"frappe.desk.form.load.get_communications": allowed(READS_RECORD, record="name"),
	"frappe.desk.form.load.get_user_info_for_viewers": refused(NOT_FOR_APP),
	"frappe.desk.form.save.savedocs": allowed(SAVES),
	"frappe.desk.form.save.cancel": allowed(SAVES, ptype="write"),
	"frappe.desk.form.utils.add_comment": allowed(READS_RECORD, record="reference_name"),
	"frappe.desk.form.utils.update_comment": refused(NOT_FOR_APP),
	"frappe.desk.form.utils.remove_attach": allowed(WRITES_RECORD, ptype="write"),
	# The ‹ › arrows: the next record of the list, found through frappe.get_list, after the current one.
	"frappe.desk.form.utils.get_next": allowed(
		OVERRIDDEN + "; " + READS_RECORD + "; the next one is found by frappe.get_list", record="value"
	),
	"frappe.desk.form.assign_to.add": allowed(READS_RECORD + "; Frappe checks it too"),
	"frappe.desk.form.assign_to.add_multiple": allowed(READS_RECORD + " (each of them)", records="name"),
	"frappe.desk.form.assign_to.remove": allowed(READS_RECORD),
	"frappe.desk.form.assign_to.close": allowed(READS_RECORD),
	"frappe.desk.form.document_follow.follow_document": allowed(
		READS_RECORD + ", followed by the user making the request", record="doc_name", own_user="user"
	),
	"frappe.desk.form.document_follow.unfollow_document": allowed(
		READS_RECORD + ", by the user making the request", record="doc_name", own_user="user"
	),
	"frappe.desk.form.document_follow.update_follow": allowed(READS_RECORD, record="doc_name"),
	"frappe.desk.form.document_follow.get_follow_users": allowed(READS_RECORD, record="doc_name"),
	"frappe.desk.form.linked_with.get": allowed(OVERRIDDEN + "; " + READS_RECORD, record="docname"),
	"frappe.desk.form.linked_with.get_submitted_linked_docs": allowed(OVERRIDDEN),
	"frappe.desk.form.linked_with.cancel_all_linked_docs": allowed(SAVES),
	"frappe.desk.like.toggle_like": allowed(READS_RECORD),
	"frappe.desk.link_preview.get_preview_data": allowed(READS_RECORD, record="docname"),
	"frappe.desk.doctype.tag.tag.add_tag": allowed(WRITES_RECORD, ptype="write"),
	"frappe.desk.doctype.tag.tag.remove_tag": allowed(WRITES_RECORD, ptype="write"),
	"frappe.desk.doctype.tag.tag.add_tags": allowed(
		WRITES_RECORD + " (each of them)", ptype="write", records="docs"
	),
	"frappe.desk.doctype.tag.tag.get_tags": allowed("lists the names of tags, no record"),
	"frappe.desk.doctype.tag.tag.get_documents_for_tag": refused(NOT_FOR_APP),
	"frappe.desk.doctype.tag.tag.get_tags_list_for_awesomebar": refused(NOT_FOR_APP),
	"frappe.core.api.file.get_attached_images": allowed(READS_RECORD + " (each of them)", records="names"),
	"frappe.core.doctype.submission_queue.submission_queue.get_latest_submissions": allowed(
		READS_RECORD, record="docname"
	),
	"frappe.core.doctype.communication.email.make": allowed(
		READS_RECORD + "; Frappe checks the email right on it"
	),
	"frappe.utils.file_manager.add_attachments": allowed(WRITES_RECORD, ptype="write"),
	"frappe.automation.doctype.reminder.reminder.create_new_reminder": allowed(
		READS_RECORD, doctype="reminder_doctype", record="reminder_docname"
	),
	"frappe.model.rename_doc.update_document_title": allowed(WRITES_RECORD, ptype="write"),
	"frappe.rename_doc": refused("the app's records keep the number they were given (naming series)"),
	"frappe.share.get_users": allowed(READS_RECORD),
	"frappe.share.add": refused("sharing would give a record to users outside its grid"),
	"frappe.share.set_permission": refused("sharing would give a record to users outside its grid"),
	"frappe.automation.doctype.assignment_rule.assignment_rule.bulk_apply": refused(
		"assigns records by rule as the system, unchecked; rules are an administrator's"
	),
	"frappe.automation.doctype.auto_repeat.auto_repeat.make_auto_repeat": refused(
		"the app's records are not repeated: a copy would carry a resident's data on by itself"
	),
	"frappe.social.doctype.energy_point_log.energy_point_log.review": refused(
		"energy points are not used; the app keeps its own volunteer points ledger"
	),
	"frappe.email.doctype.email_template.email_template.get_email_template": refused(
		"renders a template against a document as sent, which may name records of other grids"
	),
	"upload_file": allowed(
		WRITES_RECORD + "; a record not yet saved: see check_attachment_target", ptype="write", runs="method"
	),
	# The same by its dotted name (the web form's uploader calls it so).
	"frappe.handler.upload_file": allowed(
		WRITES_RECORD + "; a record not yet saved: see check_attachment_target", ptype="write", runs="method"
	),
	"run_doc_method": refused(
		"runs a controller method on a document as sent; the app's forms call their own whitelisted methods"
	),
	# Lists, reports, searches, trees.
	"frappe.desk.reportview.get": allowed(READS_LISTS),
	"frappe.desk.reportview.get_list": allowed(READS_LISTS),
	"frappe.desk.reportview.get_count": allowed(READS_LISTS),
	"frappe.desk.reportview.export_query": allowed(READS_LISTS),
	"frappe.desk.reportview.delete_items": allowed(SAVES),
	"frappe.desk.reportview.get_sidebar_stats": allowed(READS_LISTS),
	"frappe.desk.reportview.save_report": allowed(
		"saves the user's report settings; the report runs through reportview.get"
	),
	"frappe.desk.reportview.delete_report": allowed(
		"deletes a saved report, which Frappe lets only its owner do"
	),
	"frappe.desk.listview.get_list_settings": allowed(METADATA),
	"frappe.desk.listview.get_group_by_count": allowed(OVERRIDDEN),
	"frappe.desk.doctype.list_view_settings.list_view_settings.get_default_listview_fields": allowed(
		METADATA
	),
	"frappe.desk.doctype.list_view_settings.list_view_settings.save_listview_settings": refused(
		ADMINISTRATION
	),
	"frappe.desk.doctype.bulk_update.bulk_update.submit_cancel_or_update_docs": allowed(
		SAVES + " (each of them)", ptype="write", records="docnames"
	),
	"frappe.desk.doctype.kanban_board.kanban_board.get_kanban_boards": allowed(METADATA),
	"frappe.desk.doctype.kanban_board.kanban_board.quick_kanban_board": refused(ADMINISTRATION),
	"frappe.desk.calendar.get_events": allowed(READS_LISTS),
	"frappe.desk.calendar.update_event": allowed(SAVES),
	"frappe.geo.utils.get_coords": refused(
		"the map view reads coordinates with SQL of its own; the app has no map view"
	),
	"frappe.desk.search.search_link": allowed(OVERRIDDEN),
	"frappe.desk.search.search_widget": allowed(OVERRIDDEN),
	# A link field's title (a household's address, a grid's name), shown beside the link.
	"frappe.desk.search.get_link_title": allowed(
		OVERRIDDEN + ": the title of a record the user may not read is its name", checks_record=False
	),
	"frappe.desk.search.get_names_for_mentions": refused(NOT_FOR_APP),
	"frappe.utils.global_search.search": refused("reads the global search index without record permissions"),
	"frappe.desk.treeview.get_children": allowed(READS_LISTS),
	"frappe.desk.treeview.get_all_nodes": allowed(
		READS_LISTS + " (the app's tree method, or the engine's get_children)",
		runs="tree_method",
		may_run=frozenset({"frappe.desk.treeview.get_children"}),
	),
	"frappe.desk.treeview.add_node": allowed(SAVES),
	"frappe.utils.nestedset.rebuild_tree": refused(ADMINISTRATION),
	"frappe.desk.query_report.run": allowed("runs a report of the app, which reads through frappe.get_list"),
	"frappe.desk.query_report.get_script": allowed(METADATA),
	"frappe.desk.query_report.export_query": allowed(
		"exports a report of the app, which reads through frappe.get_list"
	),
	"frappe.desk.query_report.save_report": allowed(
		"saves a custom report, whose columns check_saved_report_columns checks"
	),
	"frappe.desk.query_report.get_data_for_custom_field": allowed(READS_LISTS),
	"frappe.desk.doctype.number_card.number_card.get_result": allowed(READS_LISTS),
	"frappe.desk.doctype.number_card.number_card.get_percentage_difference": allowed(READS_LISTS),
	"frappe.desk.doctype.number_card.number_card.create_number_card": refused(ADMINISTRATION),
	"frappe.desk.doctype.number_card.number_card.create_report_number_card": refused(ADMINISTRATION),
	"frappe.desk.doctype.dashboard_chart.dashboard_chart.get": refused(
		"the app's charts are served by wangge_app.overview, which counts through frappe.get_list"
	),
	"frappe.desk.doctype.dashboard_chart.dashboard_chart.create_dashboard_chart": refused(ADMINISTRATION),
	"frappe.desk.doctype.dashboard_chart.dashboard_chart.create_report_chart": refused(ADMINISTRATION),
	"frappe.desk.notifications.get_open_count": allowed(OVERRIDDEN),
	"frappe.core.doctype.doctype.doctype.get_row_size_utilization": allowed(OVERRIDDEN),
	"frappe.core.doctype.access_log.access_log.make_access_log": allowed(
		"logs that the user exported or printed"
	),
	"frappe.core.doctype.prepared_report.prepared_report.make_prepared_report": allowed(
		"queues a report of the app, which reads through frappe.get_list"
	),
	"frappe.core.doctype.prepared_report.prepared_report.get_reports_in_queued_state": allowed(METADATA),
	"frappe.core.doctype.prepared_report.prepared_report.delete_prepared_reports": allowed(
		"deletes prepared reports, which Frappe checks"
	),
	# Workflows.
	"frappe.model.workflow.apply_workflow": allowed(SAVES),
	"frappe.model.workflow.bulk_workflow_approval": allowed(
		SAVES + " (each of them)", ptype="write", records="docnames"
	),
	"frappe.model.workflow.get_transitions": allowed(SAVES),
	"frappe.model.workflow.get_common_transition_actions": allowed(
		"tells the workflow actions open to the user on the documents as sent, reads no stored record"
	),
	"frappe.model.workflow.can_cancel_document": allowed(METADATA),
	"frappe.workflow.doctype.workflow.workflow.get_workflow_state_count": allowed(OVERRIDDEN),
	"frappe.model.utils.user_settings.get": allowed(METADATA),
	"frappe.model.utils.user_settings.save": allowed(METADATA),
	"frappe.model.mapper.make_mapped_doc": allowed("runs the app's own mappers only", runs="method"),
	# Printing.
	"frappe.www.printview.get_html_and_style": allowed(OVERRIDDEN),
	"frappe.www.printview.get_rendered_raw_commands": refused(
		"raw printing prints a document as sent, which may name records of other grids"
	),
	"frappe.utils.print_format.download_pdf": allowed(READS_RECORD + "; Frappe checks the print right on it"),
	"frappe.utils.print_format.download_multi_pdf": refused(
		"prints many records at once; the app prints each record"
	),
	"frappe.utils.print_format.download_multi_pdf_async": refused(
		"prints many records at once; the app prints each record"
	),
	"frappe.utils.print_format.report_to_pdf": refused("prints HTML sent by the browser, not a record"),
	"frappe.utils.print_format.print_by_server": refused("network printers are not used"),
	"frappe.utils.weasyprint.download_pdf": refused(
		"the beta print designer is not used; prints go through download_pdf"
	),
	"frappe.printing.page.print.print.get_print_settings_to_show": allowed(READS_RECORD),
	"frappe.printing.page.print_format_builder.print_format_builder.create_custom_format": refused(
		ADMINISTRATION
	),
	"frappe.custom.doctype.customize_form.customize_form.get_link_filters_from_doc_without_customisations": allowed(
		METADATA
	),
	"frappe.core.doctype.data_import.data_import.download_template": refused(ADMINISTRATION),
	"frappe.core.doctype.prepared_report.prepared_report.download_attachment": refused(NOT_FOR_APP),
	"frappe.core.report.permitted_documents_for_user.permitted_documents_for_user.query_doctypes": refused(
		ADMINISTRATION
	),
	"frappe.www.list.get_list_data": refused(
		"the portal list of the app's DocTypes is refused (refuse_list_pages_of_app_doctypes)"
	),
	"frappe.website.doctype.web_form.web_form.accept": refused("the app's DocTypes have no web forms"),
	"frappe.website.doctype.web_form.web_form.delete_multiple": refused(
		"the app's DocTypes have no web forms"
	),
	"frappe.website.doctype.web_form.web_form.get_web_form_filters": refused(
		"the app's DocTypes have no web forms"
	),
}
# What the rest of the desk calls: the user's session, pages, workspaces, notifications, settings and
# Frappe's own DocTypes, never a DocType of the app (refused when a request names one with them).
ENGINE_METHODS |= dict.fromkeys(
	(
		"frappe.contacts.doctype.address.address.get_address_display",
		"frappe.core.api.file.create_new_folder",
		"frappe.core.api.file.get_files_by_search_text",
		"frappe.core.api.file.get_files_in_folder",
		"frappe.core.api.file.get_max_file_size",
		"frappe.core.api.file.move_file",
		"frappe.core.api.file.unzip_file",
		"frappe.core.api.file.zip_files",
		"frappe.core.doctype.session_default_settings.session_default_settings.get_session_default_values",
		"frappe.core.doctype.session_default_settings.session_default_settings.set_session_default_values",
		"frappe.core.doctype.user.user.get_all_roles",
		"frappe.core.doctype.user.user.get_email_awaiting",
		"frappe.core.doctype.user.user.get_perm_info",
		"frappe.core.doctype.user.user.switch_theme",
		"frappe.core.doctype.user.user.test_password_strength",
		"frappe.core.doctype.user.user.verify_password",
		"frappe.core.doctype.user_permission.user_permission.get_user_permissions",
		"frappe.desk.desk_page.getpage",
		"frappe.desk.desktop.get_desktop_page",
		"frappe.desk.desktop.get_workspace_sidebar_items",
		"frappe.desk.desktop.update_onboarding_step",
		"frappe.desk.doctype.custom_html_block.custom_html_block.get_custom_blocks_for_user",
		"frappe.desk.doctype.dashboard.dashboard.get_permitted_cards",
		"frappe.desk.doctype.dashboard.dashboard.get_permitted_charts",
		"frappe.desk.doctype.dashboard_chart.dashboard_chart.get_charts_for_user",
		"frappe.desk.doctype.dashboard_chart_source.dashboard_chart_source.get_config",
		"frappe.desk.doctype.dashboard_settings.dashboard_settings.create_dashboard_settings",
		"frappe.desk.doctype.dashboard_settings.dashboard_settings.save_chart_config",
		"frappe.desk.doctype.event.event.get_events",
		"frappe.desk.doctype.form_tour.form_tour.update_user_status",
		"frappe.desk.doctype.kanban_board.kanban_board.save_settings",
		"frappe.desk.doctype.note.note.mark_as_seen",
		"frappe.desk.doctype.notification_log.notification_log.get_notification_logs",
		"frappe.desk.doctype.notification_log.notification_log.mark_all_as_read",
		"frappe.desk.doctype.notification_log.notification_log.mark_as_read",
		"frappe.desk.doctype.notification_log.notification_log.trigger_indicator_hide",
		"frappe.desk.doctype.notification_settings.notification_settings.set_seen_value",
		"frappe.desk.doctype.number_card.number_card.get_cards_for_user",
		"frappe.desk.doctype.onboarding_step.onboarding_step.get_onboarding_steps",
		"frappe.desk.doctype.route_history.route_history.deferred_insert",
		"frappe.desk.doctype.workspace.workspace.delete_page",
		"frappe.desk.doctype.workspace.workspace.duplicate_page",
		"frappe.desk.doctype.workspace.workspace.new_page",
		"frappe.desk.doctype.workspace.workspace.save_page",
		"frappe.desk.doctype.workspace.workspace.sort_pages",
		"frappe.desk.doctype.workspace.workspace.update_page",
		"frappe.desk.notifications.get_notification_info",
		"frappe.desk.page.backups.backups.schedule_files_backup",
		"frappe.desk.page.leaderboard.leaderboard.get_leaderboard_config",
		"frappe.desk.page.setup_wizard.setup_wizard.load_languages",
		"frappe.desk.page.setup_wizard.setup_wizard.load_messages",
		"frappe.desk.page.setup_wizard.setup_wizard.load_user_details",
		"frappe.desk.page.setup_wizard.setup_wizard.setup_complete",
		"frappe.desk.page.user_profile.user_profile.get_energy_points_heatmap_data",
		"frappe.desk.page.user_profile.user_profile.get_energy_points_list",
		"frappe.desk.page.user_profile.user_profile.get_energy_points_percentage_chart_data",
		"frappe.desk.page.user_profile.user_profile.get_user_rank",
		"frappe.desk.page.user_profile.user_profile.update_profile_info",
		"frappe.email.doctype.email_account.email_account.set_email_password",
		"frappe.email.email_body.get_email_html",
		"frappe.email.get_contact_list",
		"frappe.geo.country_info.get_country_timezone_info",
		"frappe.integrations.doctype.google_settings.google_settings.get_file_picker_settings",
		"frappe.printing.doctype.network_printer_settings.network_printer_settings.get_network_printer_settings",
		"frappe.printing.page.print_format_builder_beta.print_format_builder_beta.get_google_fonts",
		"frappe.search.web_search",
		"frappe.sessions.clear",
		"frappe.sessions.get_boot_assets_json",
		"frappe.social.doctype.energy_point_log.energy_point_log.get_energy_points",
		"frappe.social.doctype.energy_point_log.energy_point_log.get_user_energy_and_review_points",
		"frappe.translate.get_all_languages",
		"frappe.translate.update_translations_for_source",
		"frappe.utils.backups.get_backup_encryption_key",
		"frappe.utils.change_log.get_versions",
		"frappe.utils.change_log.show_update_popup",
		"frappe.utils.change_log.update_last_known_versions",
		"frappe.utils.diff.get_version_diff",
		"frappe.utils.diff.version_query",
		"frappe.utils.pdf.is_wkhtmltopdf_valid",
		"frappe.website.doctype.web_page_view.web_page_view.get_page_view_count",
	),
	refused(NOT_FOR_APP),
)
ENGINE_METHODS_FOR_APP_DOCTYPES = frozenset(name for name, method in ENGINE_METHODS.items() if method.allowed)
# Of those, the ones that change a record named in the request (the rest must be able to read it).
RECORD_WRITING_METHODS = frozenset(
	name for name, method in ENGINE_METHODS.items() if method.allowed and method.ptype == "write"
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
	check_app_method_arguments(call.method, form)
	check_list_query_arguments(call.method, form)
	check_report_filters_argument(call.method, form)
	refuse_unguarded_engine_methods(form, call, doctype, documents)
	arguments = {key: form.get(key) for key in (*FILTER_ARGUMENTS, *FIELD_ARGUMENTS) if form.get(key)}
	check_readable_fields(doctype, arguments, parent=form.get("parent_doctype") or form.get("parent"))
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
	entry = ENGINE_METHODS.get(method)
	refuse_methods_run_by_name(form, method, entry)
	named = {form.get(key) for key in DOCTYPE_ARGUMENTS} | {doctype}
	if entry and entry.doctype:
		named.add(form.get(entry.doctype))
	named |= {document.get(key) for document in documents for key in ("doctype", "document_type")}
	app_doctypes = [name for name in named if app_doctype(name)]
	if not app_doctypes:
		return
	if not entry or not entry.allowed:
		frappe.throw(
			_("{0} is not available for {1}.").format(frappe.bold(method), _(app_doctypes[0])),
			frappe.PermissionError,
		)
	if entry.own_user and form.get(entry.own_user) not in (None, frappe.session.user):
		frappe.throw(_("You can only do this for yourself."), frappe.PermissionError)
	if not entry.checks_record:
		return
	for record_doctype, record in named_records(form, documents, entry):
		if frappe.db.exists(record_doctype, record) and not has_record_permission(
			record_doctype, entry.ptype, record
		):
			frappe.throw(
				_("You are not permitted to access {0} {1}.").format(_(record_doctype), frappe.bold(record)),
				frappe.PermissionError,
			)


def refuse_methods_run_by_name(form, method: str, entry: EngineMethod | None) -> None:
	"""A method that runs another one named in the request (a mapper, a tree's method, an upload's
	handler) would run it past this guard: it may run only the app's own methods and those it lists."""
	if not entry or not entry.runs:
		return
	run = form.get(entry.runs)
	if not run or (isinstance(run, str) and (run.startswith("wangge_app.") or run in entry.may_run)):
		return
	frappe.throw(
		_("{0} cannot run {1}.").format(frappe.bold(method), frappe.bold(run)), frappe.PermissionError
	)


def named_records(form, documents, entry: EngineMethod | None = None):
	"""The stored records of the app a request names: by DocType and name arguments (those the method's
	entry names first), several by a list of names, or as a document sent whole (run_doc_method runs a
	controller method on the document as sent, once the user may read it as sent)."""
	doctype_arguments = ((entry.doctype,) if entry and entry.doctype else ()) + DOCTYPE_ARGUMENTS
	name_arguments = ((entry.record,) if entry and entry.record else ()) + NAME_ARGUMENTS
	record_doctype = next((form.get(key) for key in doctype_arguments if app_doctype(form.get(key))), None)
	record = next((form.get(key) for key in name_arguments if isinstance(form.get(key), str)), None)
	if record_doctype:
		if entry and entry.records:
			records = parse(form.get(entry.records))
			for name in records if isinstance(records, list) else [records]:
				if isinstance(name, str):
					yield record_doctype, name
				elif isinstance(name, dict) and isinstance(name.get("name"), str):
					yield record_doctype, name["name"]
		if record and not (entry and entry.records and record == form.get(entry.records)):
			yield record_doctype, record
	for document in documents:
		if app_doctype(document.get("doctype")) and isinstance(document.get("name"), str):
			yield document["doctype"], document["name"]


def check_readable_fields(doctype, arguments: dict, parent=None) -> None:
	"""Refuse a query whose filters, fields, grouping or sorting name a field of `doctype` (or of a
	table it names, such as a child table) that the user may not read. Filters of the form
	[doctype, field, operator, value] name their DocType themselves."""
	if frappe.session.user == "Administrator":
		return
	doctype = doctype if isinstance(doctype, str) and doctype else None
	# A child table read on its own takes the permission levels of the record it belongs to.
	parent_of_doctype = table_parent(doctype, parent)
	for table, fieldname in referenced_fields(doctype, arguments):
		if not readable(table, fieldname, parent=doctype if table != doctype else parent_of_doctype):
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


def table_parent(doctype: str | None, parent) -> str | None:
	"""`parent` if `doctype` is one of its tables (a request may name any DocType as the parent)."""
	if not doctype or not isinstance(parent, str) or not frappe.db.exists("DocType", parent, cache=True):
		return None
	if not frappe.db.exists("DocType", doctype, cache=True) or not frappe.get_meta(doctype).istable:
		return None
	return parent if any(df.options == doctype for df in frappe.get_meta(parent).get_table_fields()) else None


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

	check_record_arguments(doctype, name)
	load.getdoc(doctype, name)
	hide_unreadable_version_values(frappe.response.get("docinfo"), doctype)


@frappe.whitelist()
def get_docinfo(doc=None, doctype=None, name=None):
	"""frappe.desk.form.load.get_docinfo, without the values of unreadable fields in the version history."""
	from frappe.desk.form import load

	if not isinstance(doc, Document):
		# Over HTTP the record is named; a document is passed only by code.
		doc = None
		check_record_arguments(doctype, name)
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

	check_doctype_argument(doctype)
	current_filters = json_argument(current_filters, "current_filters")
	if field != "assigned_to":
		return listview.get_group_by_count(doctype, current_filters, field)
	names = frappe.get_list(doctype, filters=current_filters, pluck="name", limit_page_length=0)
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
	file to anyone owning a File with its URL). A photo taken while a new record is filled in is
	attached, as the desk's form does it, to the record's temporary name (`new-safety-hazard-…`),
	private, readable by its owner only, until saving the record links it (`link_files_of_new_record`)."""
	if frappe.session.user == "Administrator" or frappe.flags.in_install or frappe.flags.in_migrate:
		return
	if doc.file_url and doc.file_url.startswith("/private/"):
		existing = frappe.get_all(
			"File", {"file_url": doc.file_url}, ["owner", "attached_to_doctype", "attached_to_name"]
		)
		if existing and not any(file_readable(file) for file in existing):
			frappe.throw(_("You are not permitted to use this file."), frappe.PermissionError)
	if app_doctype(doc.attached_to_doctype) and doc.attached_to_name:
		if is_unsaved_record(doc.attached_to_doctype, doc.attached_to_name):
			if not frappe.has_permission(doc.attached_to_doctype, "create"):
				frappe.throw(
					_("You are not permitted to create {0}.").format(_(doc.attached_to_doctype)),
					frappe.PermissionError,
				)
			if not doc.is_private:
				frappe.throw(_("A file attached before the record is saved must be private."))
		elif not frappe.db.exists(doc.attached_to_doctype, doc.attached_to_name) or not has_record_permission(
			doc.attached_to_doctype, "write", doc.attached_to_name
		):
			frappe.throw(
				_("You are not permitted to attach files to {0} {1}.").format(
					_(doc.attached_to_doctype), frappe.bold(doc.attached_to_name)
				),
				frappe.PermissionError,
			)


def check_attached_files_readable(doc, method=None):
	"""before_save of the app's records: an Attach field names only a private file the user may read.
	Saving attaches to the record a file of that address that is attached nowhere, whoever uploaded it
	(Frappe's attach_files_to_document), which the record's readers could then download."""
	if frappe.session.user == "Administrator" or frappe.flags.in_install or frappe.flags.in_migrate:
		return
	before = doc.get_doc_before_save()
	for url in attached_file_urls(doc) - (attached_file_urls(before) if before else set()):
		if not url.startswith("/private/"):
			continue
		files = frappe.get_all(
			"File", {"file_url": url}, ["owner", "attached_to_doctype", "attached_to_name"]
		)
		if not any(file_readable(file) for file in files):
			frappe.throw(_("You are not permitted to use this file."), frappe.PermissionError)


def attached_file_urls(doc) -> set[str]:
	"""The file addresses in a record's Attach and Attach Image fields, its rows' included."""
	urls = set()
	for row in [doc, *doc.get_all_children()]:
		for df in row.meta.get("fields", {"fieldtype": ["in", ["Attach", "Attach Image"]]}):
			if isinstance(row.get(df.fieldname), str) and row.get(df.fieldname):
				urls.add(row.get(df.fieldname))
	return urls


def temporary_name_prefix(doctype: str) -> str:
	"""The desk names a record it has not saved yet `new-<doctype>-<random>` (frappe.model.get_new_name);
	savedocs recognises it the same way."""
	return "new-" + doctype.lower().replace(" ", "-") + "-"


def is_unsaved_record(doctype: str, name) -> bool:
	return (
		isinstance(name, str)
		and name.startswith(temporary_name_prefix(doctype))
		and not frappe.db.exists(doctype, name)
	)


def link_files_of_new_record(doc, method=None):
	"""after_insert of the app's records: the files the user uploaded for the form before its first save
	are attached to the saved record, those of child-table rows too (Frappe relinks only the record's own
	Attach fields, `relink_mismatched_files`). Only the user's own files, named by the form's temporary
	name and by a field's value, move: nothing else of the temporary name is taken."""
	temporary_name = doc.get("__temporary_name")
	if not temporary_name or not is_unsaved_record(doc.doctype, temporary_name):
		return
	urls = {url for url in attached_file_urls(doc) if url.startswith(("/files/", "/private/files/"))}
	if not urls:
		return
	for name in frappe.get_all(
		"File",
		filters={
			"attached_to_doctype": doc.doctype,
			"attached_to_name": temporary_name,
			"file_url": ("in", sorted(urls)),
			"owner": frappe.session.user,
		},
		pluck="name",
	):
		frappe.db.set_value("File", name, "attached_to_name", doc.name, update_modified=False)


@frappe.whitelist()
def get_next(doctype, value, prev, filters=None, sort_order="desc", sort_field="modified"):
	"""frappe.desk.form.utils.get_next, the form's ‹ › arrows: the record after `value` in the user's list
	(frappe.get_list), sorted by a field of the DocType, with the filters given as a list or as a mapping
	(the engine appends its own condition to them as to a list, and fails on a mapping)."""
	from frappe.desk.form import utils

	if not is_field_of(doctype, sort_field):
		frappe.throw(_("{0} is not a field of {1}.").format(sort_field, _(doctype)))
	if not isinstance(sort_order, str) or sort_order.lower() not in ("asc", "desc"):
		frappe.throw(_("Sort in ascending or descending order."))
	filters = parse(filters) or []
	if isinstance(filters, dict):
		filters = [
			[doctype, fieldname, *(condition if isinstance(condition, list | tuple) else ("=", condition))]
			for fieldname, condition in filters.items()
		]
	if not isinstance(filters, list):
		frappe.throw(_("Give each filter as a field, an operator and a value."))
	return utils.get_next(doctype, value, cint(prev), filters, sort_order, sort_field)


@frappe.whitelist()
def get_link_title(doctype, docname):
	"""frappe.desk.search.get_link_title: the title shown beside a link (a household's address, a
	grid's name), of a record of the app the user may read; of another, its name only (the engine reads
	any record's title)."""
	if app_doctype(doctype) and not (
		isinstance(docname, str)
		and frappe.db.exists(doctype, docname)
		and has_record_permission(doctype, "read", docname)
	):
		return docname
	return search.get_link_title(doctype, docname)


@frappe.whitelist()
def get_linked_documents(doctype: str, docname: str) -> dict:
	"""frappe.desk.form.linked_with.get, the form's Links: the records linking to this one, of the
	DocTypes the user may read (the engine fails the whole answer on the first the user may not read,
	Comment for a grid worker), each read through frappe.get_list and without the fields the user may
	not read (the engine lists each DocType's list-view fields whatever their permission level)."""
	from frappe.desk.form import linked_with

	if not has_record_permission(doctype, "read", docname):
		frappe.throw(
			_("You are not permitted to access {0} {1}.").format(_(doctype), frappe.bold(docname)),
			frappe.PermissionError,
		)
	link_info = {
		linked: context
		for linked, context in linked_with.get_linked_doctypes(doctype).items()
		if frappe.has_permission(linked, "read")
	}
	found = linked_with.get_linked_docs(doctype, docname, link_info)
	for linked, rows in found.items():
		for row in rows:
			for fieldname in [fieldname for fieldname in row if not readable(linked, fieldname)]:
				del row[fieldname]
	return found


@frappe.whitelist()
def get_submitted_linked_docs(doctype: str, name: str) -> dict:
	"""frappe.desk.form.linked_with.get_submitted_linked_docs, offered when a submitted record is
	cancelled: only the linked records the user may see (the engine finds them with frappe.get_all)."""
	from frappe.desk.form import linked_with

	if not has_record_permission(doctype, "read", name):
		frappe.throw(
			_("You are not permitted to access {0} {1}.").format(_(doctype), frappe.bold(name)),
			frappe.PermissionError,
		)
	found = linked_with.get_submitted_linked_docs(doctype, name)
	names = {}
	for linked in found["docs"]:
		names.setdefault(linked["doctype"], []).append(linked["name"])
	visible = {(linked, name) for linked, listed in names.items() for name in visible_names(linked, listed)}
	docs = [linked for linked in found["docs"] if (linked["doctype"], linked["name"]) in visible]
	return {"docs": docs, "count": len(docs)}


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
	check_record_arguments(doctype, name)
	doc = frappe.get_doc(doctype, name)
	doc.check_permission()
	links = doc.meta.get_dashboard_data()
	if items is None:
		items = [item for group in links.transactions for item in group.get("items")]
	items = json_argument(items, "items") if isinstance(items, str) else items
	if items is not None and (
		not isinstance(items, list) or not all(isinstance(item, str) for item in items)
	):
		frappe.throw(_("{0} is not a list of DocTypes.").format("items"), title=_("Invalid Input"))
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
