app_name = "wangge_app"
app_title = "Wangge"
app_publisher = "wangge_app contributors"
app_description = "Community grid governance (网格化治理)"
app_email = "dev@wangge.example"
app_license = "MIT"

# Roles, workflows and their states and actions ship as fixtures, so that DocType
# permissions, user permissions and workflows can rely on them on any site.
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
				],
			]
		],
	},
	{
		"dt": "Workflow State",
		"filters": [
			[
				"name",
				"in",
				[
					# Central Household Approval
					"Applied",
					"Branch Approved",
					"Designated",
					"Withdrawn",
					# Dispute Case Workflow
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
					"Pass Branch Review",
					"Withdraw",
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
	{"dt": "Workflow", "filters": [["name", "in", ["Central Household Approval", "Dispute Case Workflow"]]]},
	# The services a party-mass service station can offer; managers add more.
	{
		"dt": "Station Service",
		"filters": [["name", "in", ["Drinking Water", "Phone Charging", "Reading", "Policy Consultation"]]],
	},
]

treeviews = ["Grid"]

# The eight standing volunteer service types are install data, not fixtures: a migrate
# must not reset the points a community has set for them.
after_install = "wangge_app.volunteer.install.after_install"
before_tests = "wangge_app.setup.before_tests"

# Grid workers are scoped by User Permissions on Grid; these hooks only shut out
# a grid worker who has no grid at all (see wangge_app.grid.permissions).
GRID_SCOPED_DOCTYPES = ["Grid", "Household", "Resident", "Central Household", "Dispute Case"]
permission_query_conditions = {
	doctype: "wangge_app.grid.permissions.registry_query_conditions" for doctype in GRID_SCOPED_DOCTYPES
}
has_permission = {doctype: "wangge_app.grid.permissions.registry_has_permission" for doctype in GRID_SCOPED_DOCTYPES}

scheduler_events = {
	"cron": {
		# Mediation time targets are counted in hours, so look for missed ones often.
		"*/10 * * * *": ["wangge_app.mediation.overdue.mark_overdue_cases"],
	},
	"daily": ["wangge_app.volunteer.points.report_kept_balance_mismatches"],
}
