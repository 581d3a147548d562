app_name = "wangge_app"
app_title = "Wangge"
app_publisher = "wangge_app contributors"
app_description = "Community grid governance (网格化治理)"
app_email = "dev@wangge.example"
app_license = "MIT"

# Roles ship as fixtures so that DocType permissions and user permissions can rely on them.
fixtures = [
	{"dt": "Role", "filters": [["name", "in", ["Community Manager", "Grid Worker", "Partner Merchant"]]]},
]

treeviews = ["Grid"]

# Grid workers are scoped by User Permissions on Grid; these hooks only shut out
# a grid worker who has no grid at all (see wangge_app.grid.permissions).
permission_query_conditions = {
	"Grid": "wangge_app.grid.permissions.registry_query_conditions",
	"Household": "wangge_app.grid.permissions.registry_query_conditions",
	"Resident": "wangge_app.grid.permissions.registry_query_conditions",
}
has_permission = {
	"Grid": "wangge_app.grid.permissions.registry_has_permission",
	"Household": "wangge_app.grid.permissions.registry_has_permission",
	"Resident": "wangge_app.grid.permissions.registry_has_permission",
}

# Volunteer (志愿服务): the eight standing service types, and a daily check of the points ledger.
after_install = "wangge_app.volunteer.install.after_install"
scheduler_events = {
	"daily": ["wangge_app.volunteer.points.report_kept_balance_mismatches"],
}
