# Frappe reads every public name of this module as a hook: these four are the generated declarations
# (below); what is imported only to be used here takes a name starting with an underscore.
from wangge_app.declared_hooks import (  # noqa: F401
	doc_events,
	doctype_js,
	has_permission,
	permission_query_conditions,
)
from wangge_app.roles import APP_ROLES as _APP_ROLES
from wangge_app.roles import PARTNER_MERCHANT as _PARTNER_MERCHANT

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
		"filters": [["name", "in", list(_APP_ROLES)]],
	},
]

treeviews = ["Grid"]

# Chinese where the desk shows stored English values or adds its own (public/js/desk_chinese.js), and
# the print page's format selector read through its Link control, which shows translated names.
app_include_js = [
	"/assets/wangge_app/js/desk_chinese.js",
	"/assets/wangge_app/js/attach_image.js",
	# The role pages' figures in one request (wangge_app/overview/compute.py get_figures).
	"/assets/wangge_app/js/home_figures.js",
]
page_js = {"print": "public/js/print_view.js"}

# The workflows, the stock station services and the eight standing volunteer service types are install
# data, not fixtures: a migrate must not reset what a community has changed in them.
after_install = "wangge_app.install.after_install"
# The role pages (wangge_app/overview/) and Frappe's own workspaces kept for their roles, again after
# each migrate: an update of Frappe re-imports its workspaces without those roles.
after_migrate = "wangge_app.desk_setup.after_migrate"
before_tests = "wangge_app.site_setup.before_tests"

# The permission layer (wangge_app/permissions.py) covers every DocType of the app, child tables
# included, as declared in wangge_app/scopes.py: grid workers see their grids, merchants their merchant.
# `permission_query_conditions` (a named function per DocType, wangge_app/permission_queries.py),
# `has_permission`, `doc_events` and `doctype_js` (the records-kept form script) follow from the
# DocTypes and those declarations: dev/generate_hooks.py writes them, and says why each handler runs
# where it does, into wangge_app/declared_hooks.py, imported above; a test fails while it is stale.
extend_bootinfo = "wangge_app.history.records_kept_boot"

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

# Customize Form shows and keeps field labels as the manager's desk shows them (wangge_app/customize_form.py).
override_doctype_class = {"Customize Form": "wangge_app.customize_form.CustomizeFormInUserLanguage"}

# A print rendered while the address its PDF loads the stylesheet from does not answer is logged
# (wkhtmltopdf makes the PDF without it, silently).
pdf_body_html = "wangge_app.utils.print_stylesheet.pdf_body_html"

# The Household Contact Card print carries the QR code of the household's request page.
jinja = {
	"methods": [
		"wangge_app.resident_services.doctype.contact_card_token.contact_card_token.contact_card_qr_code",
		# Tibetan drawn right in PDFs, with its text searchable once (wangge_app/utils/tibetan_print.py).
		"wangge_app.utils.tibetan_print.tibetan_text",
	]
}

has_website_permission = {"Points Redemption": "wangge_app.volunteer.redemption.has_website_permission"}
# A merchant user logs in straight to the merchant portal.
role_home_page = {_PARTNER_MERCHANT: "merchant"}

scheduler_events = {
	"cron": {
		# Missed due times of every case (mediation time targets are counted in hours, so look often).
		"*/10 * * * *": [
			"wangge_app.overdue.mark_missed_due_times_of_all_cases",
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
		# Follows of records their followers may no longer read all of end before the next digest.
		"wangge_app.permissions.forget_follows_without_access",
	],
}
