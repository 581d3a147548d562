from wangge_app.scopes import HISTORY as _HISTORY
from wangge_app.scopes import SCOPES as _SCOPES
from wangge_app.scopes import doctypes_on_disk as _doctypes_on_disk
from wangge_app.scopes import history_parents as _history_parents
from wangge_app.scopes import query_conditions_hook_name as _query_conditions_hook_name
from wangge_app.utils.due_times import DUE_INPUTS as _DUE_INPUTS

app_name = "wangge_app"
app_title = "Wangge"
app_publisher = "wangge_app contributors"
app_description = "Community grid governance (网格化治理)"
app_email = "dev@wangge.example"
app_license = "MIT"

# Roles ship as a fixture, re-imported on every migrate: DocType permissions, user permissions and
# workflows rely on them on any site, and a community does not change them. Workflows (wangge_app/workflows.py)
# and the stock station services are install data instead, so that a manager's changes survive updates.
fixtures = [
	{
		"dt": "Role",
		"filters": [
			[
				"name",
				"in",
				[
					"Community Manager",
					"Grid Worker",
					"Partner Merchant",
					"Grid Party Branch Secretary",
					"Community Party Committee",
					"Community Mediator",
					"District Manager",
				],
			]
		],
	},
]

treeviews = ["Grid"]

# Chinese where the desk shows stored English values or adds its own (public/js/desk_chinese.js), and
# the print page's format selector read through its Link control, which shows translated names.
app_include_js = ["/assets/wangge_app/js/desk_chinese.js", "/assets/wangge_app/js/attach_image.js"]
page_js = {"print": "public/js/print_view.js"}

# The workflows, the stock station services and the eight standing volunteer service types are install
# data, not fixtures: a migrate must not reset what a community has changed in them.
after_install = "wangge_app.install.after_install"
# The role pages (wangge_app/overview.py) and Frappe's own workspaces kept for their roles, again after
# each migrate: an update of Frappe re-imports its workspaces without those roles.
after_migrate = "wangge_app.desk_setup.after_migrate"
before_tests = "wangge_app.site_setup.before_tests"

# The permission layer (wangge_app/permissions.py) covers every DocType of the app, child tables
# included, as declared in wangge_app/scopes.py: grid workers see their grids, merchants their merchant.
_app_doctypes = _doctypes_on_disk()
permission_query_conditions = {
	doctype: f"wangge_app.permissions.{_query_conditions_hook_name(doctype)}" for doctype in _app_doctypes
}
# Child tables included: their rows are checked against their parent record (also in their
# controllers, `permissions.RowOfRecord`, where Frappe calls no hook).
has_permission = dict.fromkeys(_app_doctypes, "wangge_app.permissions.has_permission")
# Frappe's open workflow actions follow the records they are about.
permission_query_conditions["Workflow Action"] = "wangge_app.permissions.workflow_action_query_conditions"
has_permission["Workflow Action"] = "wangge_app.permissions.workflow_action_has_permission"
# A merchant's website user lists no other users.
permission_query_conditions["User"] = "wangge_app.permissions.user_query_conditions"
doc_events = {
	doctype: dict.fromkeys(("before_validate", "validate"), "wangge_app.permissions.validate_links_in_scope")
	for doctype, definition in _app_doctypes.items()
	if not definition["istable"]
}
# A record of a community takes its community before the check, and links only inside it; one named by
# its own words is named within its community.
for _doctype, _scope in _SCOPES.items():
	if _scope.community_field:
		doc_events[_doctype] = {
			"autoname": "wangge_app.permissions.name_within_community",
			"before_validate": [
				"wangge_app.permissions.set_community",
				"wangge_app.permissions.validate_links_in_scope",
			],
			"validate": [
				"wangge_app.permissions.validate_links_in_scope",
				"wangge_app.permissions.validate_within_community",
			],
		}

# History rows (steps, follow-ups, checks, logs: wangge_app/scopes.py HISTORY) are appended, never
# changed, moved or removed (wangge_app/history.py): checked once before the controller's validate,
# which then reads the server's stamps on new rows, and once after it; beside the handlers above.
for _parent in _history_parents():
	for _event in ("before_validate", "validate"):
		_handlers = doc_events[_parent].get(_event) or []
		doc_events[_parent][_event] = [
			*([_handlers] if isinstance(_handlers, str) else _handlers),
			"wangge_app.history.keep_history",
		]
# What sets a registered record's time limits changes only through the community manager's action
# (wangge_app/utils/due_times.py DUE_INPUTS).
for _doctype in _DUE_INPUTS:
	_handlers = doc_events[_doctype].get("before_validate") or []
	doc_events[_doctype]["before_validate"] = [
		*([_handlers] if isinstance(_handlers, str) else _handlers),
		"wangge_app.utils.due_times.keep_due_inputs",
	]
# A deleted record's number is not given to the next record (wangge_app/naming.py).
for _doctype, _definition in _app_doctypes.items():
	if not _definition["istable"]:
		doc_events.setdefault(_doctype, {})["after_delete"] = "wangge_app.naming.keep_number_taken"
# Every print (print view, desk print, PDF, e-mail attachment) shows a record as REST does: fields at a
# permission level the user cannot read are left out (wangge_app/permissions.py hide_unreadable_fields).
for _doctype, _definition in _app_doctypes.items():
	if not _definition["istable"]:
		doc_events.setdefault(_doctype, {})["before_print"] = "wangge_app.permissions.hide_unreadable_fields"
# An e-mail's print attachment is rendered as its sender when queued, not later by the worker as Administrator.
doc_events["Email Queue"] = {"before_insert": "wangge_app.permissions.render_print_attachments_as_sender"}
# The desk form shows both rules (recorded rows read-only, the time limit's change action).
extend_bootinfo = "wangge_app.history.records_kept_boot"
doctype_js = dict.fromkeys(sorted({*_history_parents(), *_DUE_INPUTS}), "public/js/records_kept.js")
# A history row is not deleted on its own either.
for _child in _HISTORY:
	doc_events[_child] = {"on_trash": "wangge_app.history.refuse_row_deletion"}

# Frappe endpoints that would read past the permission layer (SECURITY.md, wangge_app/engine_guards.py).
override_whitelisted_methods = {
	"frappe.client.get_count": "wangge_app.engine_guards.get_count",
	"frappe.desk.search.search_widget": "wangge_app.engine_guards.search_widget",
	"frappe.desk.search.search_link": "wangge_app.engine_guards.search_link",
	"frappe.desk.form.load.getdoc": "wangge_app.engine_guards.getdoc",
	"frappe.desk.form.load.get_docinfo": "wangge_app.engine_guards.get_docinfo",
	"frappe.www.printview.get_html_and_style": "wangge_app.engine_guards.get_html_and_style",
	"frappe.desk.listview.get_group_by_count": "wangge_app.engine_guards.get_group_by_count",
	"frappe.desk.notifications.get_open_count": "wangge_app.engine_guards.get_open_count",
	"frappe.core.doctype.doctype.doctype.get_row_size_utilization": (
		"wangge_app.engine_guards.get_row_size_utilization"
	),
	"frappe.workflow.doctype.workflow.workflow.get_workflow_state_count": (
		"wangge_app.engine_guards.get_workflow_state_count"
	),
	"frappe.desk.search.get_link_title": "wangge_app.engine_guards.get_link_title",
	"frappe.desk.form.linked_with.get": "wangge_app.engine_guards.get_linked_documents",
	"frappe.desk.form.utils.get_next": "wangge_app.engine_guards.get_next",
	"frappe.desk.form.linked_with.get_submitted_linked_docs": (
		"wangge_app.engine_guards.get_submitted_linked_docs"
	),
}
# Runs once per request right after authentication: only the engine endpoints that keep to the
# permission layer may act on the app's DocTypes, and no query may name a field the user cannot read.
auth_hooks = ["wangge_app.engine_guards.guard_request"]
# Attaching a file to a record is writing to it.
doc_events["File"] = {"before_insert": "wangge_app.engine_guards.check_attachment_target"}
# Photos taken while a new record is filled in are attached to it when it is first saved, rows' too;
# a photo field names only a file the user may read (saving attaches it to the record).
for _doctype, _definition in _app_doctypes.items():
	if not _definition["istable"]:
		doc_events.setdefault(_doctype, {})["after_insert"] = (
			"wangge_app.engine_guards.link_files_of_new_record"
		)
		doc_events[_doctype]["before_save"] = "wangge_app.engine_guards.check_attached_files_readable"
# A custom report's columns from linked records are read past the permission layer.
doc_events["Report"] = {"validate": "wangge_app.engine_guards.check_saved_report_columns"}
# A follow digest mails every change: only for followers who read all of the record (permissions.py).
doc_events["Document Follow"] = {
	"after_insert": "wangge_app.permissions.keep_follows_to_what_the_follower_reads"
}
# A Community Manager changes the app's workflows only.
doc_events["Workflow"] = {"validate": "wangge_app.workflows.check_workflow_editor"}

# The Household Contact Card print carries the QR code of the household's request page.
jinja = {
	"methods": [
		"wangge_app.resident_services.doctype.contact_card_token.contact_card_token.contact_card_qr_code"
	]
}

has_website_permission = {"Points Redemption": "wangge_app.volunteer.redemption.has_website_permission"}
# A merchant user logs in straight to the merchant portal.
role_home_page = {"Partner Merchant": "merchant"}

scheduler_events = {
	"cron": {
		# Mediation time targets are counted in hours, so look for missed ones often.
		"*/10 * * * *": [
			"wangge_app.mediation.overdue.mark_overdue_cases",
			"wangge_app.resident_services.overdue.mark_overdue_requests",
			# The System Managers hear when background jobs fall behind (wangge_app/queue_health.py).
			"wangge_app.queue_health.check_queue_health",
		],
	},
	"daily": [
		"wangge_app.volunteer.points.report_kept_balance_mismatches",
		"wangge_app.volunteer.redemption.expire_vouchers",
		"wangge_app.safety.schedule.create_due_inspections",
	],
	"hourly": [
		# Offered places of community activities not accepted in time pass on to the next resident.
		"wangge_app.community_life.sign_ups.pass_on_lapsed_offers",
		# Rectification deadlines are days: an hourly look for missed ones is enough.
		"wangge_app.safety.alerts.mark_overdue_hazards",
		# Follows of records their followers may no longer read all of end before the next digest.
		"wangge_app.permissions.forget_follows_without_access",
	],
}
