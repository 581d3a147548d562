app_name = "wangge_app"
app_title = "Wangge"
app_publisher = "wangge_app contributors"
app_description = "Community grid governance (网格化治理)"
app_email = "dev@wangge.example"
app_license = "MIT"

# Roles ship as fixtures so that DocType permissions and user permissions can rely on them.
fixtures = [
	{
		"dt": "Role",
		"filters": [
			["name", "in", ["Community Manager", "Grid Worker", "Partner Merchant", "Community Mediator"]]
		],
	},
	# Mediation: the dispute case workflow with its states and actions.
	{
		"dt": "Workflow State",
		"filters": [
			[
				"name",
				"in",
				[
					"Reported",
					"On Site",
					"Joint Handling",
					"Escalated to Community",
					"Agreement Reached",
					"Referred",
					"Follow-up",
					"Case Closed",
				],
			]
		],
	},
	{
		"dt": "Workflow Action Master",
		"filters": [
			[
				"name",
				"in",
				[
					"Arrive On Site",
					"Start Joint Handling",
					"Reach Agreement",
					"Escalate to Community",
					"Refer to Authorities",
					"End Without Agreement",
					"Start Follow-up",
					"Close Case",
				],
			]
		],
	},
	{"dt": "Workflow", "filters": [["name", "=", "Dispute Case Workflow"]]},
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

# Mediation
permission_query_conditions["Dispute Case"] = "wangge_app.grid.permissions.registry_query_conditions"
has_permission["Dispute Case"] = "wangge_app.grid.permissions.registry_has_permission"

scheduler_events = {
	"cron": {
		# Time targets are counted in hours, so look for missed ones often.
		"*/10 * * * *": ["wangge_app.mediation.overdue.mark_overdue_cases"],
	},
}
