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
					# Points Redemption
					"Requested",
					"Issued",
					"Used",
					"Cancelled",
					"Expired",
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
					"Issue Voucher",
					"Redeem Voucher",
					"Cancel Voucher",
					"Expire Voucher",
				],
			]
		],
	},
	{
		"dt": "Workflow",
		"filters": [
			["name", "in", ["Central Household Approval", "Dispute Case Workflow", "Points Redemption"]]
		],
	},
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
has_permission = {
	doctype: "wangge_app.grid.permissions.registry_has_permission" for doctype in GRID_SCOPED_DOCTYPES
}

# A partner merchant's users see only their own merchant, its offers and its vouchers.
permission_query_conditions |= {
	"Partner Merchant": "wangge_app.volunteer.redemption.partner_merchant_query_conditions",
	"Redemption Offer": "wangge_app.volunteer.redemption.redemption_offer_query_conditions",
	"Points Redemption": "wangge_app.volunteer.redemption.points_redemption_query_conditions",
}
has_permission |= dict.fromkeys(
	("Partner Merchant", "Redemption Offer", "Points Redemption"),
	"wangge_app.volunteer.redemption.merchant_has_permission",
)
has_website_permission = {"Points Redemption": "wangge_app.volunteer.redemption.has_website_permission"}
# A merchant user logs in straight to the merchant portal.
role_home_page = {"Partner Merchant": "merchant"}

scheduler_events = {
	"cron": {
		# Mediation time targets are counted in hours, so look for missed ones often.
		"*/10 * * * *": ["wangge_app.mediation.overdue.mark_overdue_cases"],
	},
	"daily": [
		"wangge_app.volunteer.points.report_kept_balance_mismatches",
		"wangge_app.volunteer.redemption.expire_vouchers",
	],
}
