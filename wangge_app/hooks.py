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

before_tests = "wangge_app.setup.before_tests"

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

# Party Building: its roles, workflow (states and actions first, in one file, so they
# import in order) and the services a party-mass service station can offer.
fixtures += [
	{"dt": "Role", "filters": [["name", "in", ["Grid Party Branch Secretary", "Community Party Committee"]]]},
	{
		"dt": "Workflow State",
		"filters": [["name", "in", ["Applied", "Branch Approved", "Designated", "Withdrawn"]]],
	},
	{"dt": "Workflow Action Master", "filters": [["name", "in", ["Pass Branch Review", "Withdraw"]]]},
	{"dt": "Workflow", "filters": [["name", "=", "Central Household Approval"]]},
	{
		"dt": "Station Service",
		"filters": [["name", "in", ["Drinking Water", "Phone Charging", "Reading", "Policy Consultation"]]],
	},
]
permission_query_conditions["Central Household"] = "wangge_app.grid.permissions.registry_query_conditions"
has_permission["Central Household"] = "wangge_app.grid.permissions.registry_has_permission"
# Volunteer (志愿服务): the eight standing service types, and a daily check of the points ledger.
after_install = "wangge_app.volunteer.install.after_install"
scheduler_events = {
	"daily": ["wangge_app.volunteer.points.report_kept_balance_mismatches"],
}
# Volunteer: points redemption at partner merchants — its workflow (states and actions first, in one
# file), a merchant user limited to their own merchant, and the daily expiry of unused vouchers.
fixtures += [
	{
		"dt": "Workflow State",
		"filters": [["name", "in", ["Requested", "Issued", "Used", "Cancelled", "Expired"]]],
	},
	{
		"dt": "Workflow Action Master",
		"filters": [["name", "in", ["Issue Voucher", "Redeem Voucher", "Cancel Voucher", "Expire Voucher"]]],
	},
	{"dt": "Workflow", "filters": [["name", "=", "Points Redemption"]]},
]
permission_query_conditions.update(
	{
		"Partner Merchant": "wangge_app.volunteer.redemption.partner_merchant_query_conditions",
		"Redemption Offer": "wangge_app.volunteer.redemption.redemption_offer_query_conditions",
		"Points Redemption": "wangge_app.volunteer.redemption.points_redemption_query_conditions",
	}
)
has_permission.update(
	dict.fromkeys(
		("Partner Merchant", "Redemption Offer", "Points Redemption"),
		"wangge_app.volunteer.redemption.merchant_has_permission",
	)
)
has_website_permission = {"Points Redemption": "wangge_app.volunteer.redemption.has_website_permission"}
scheduler_events["daily"].append("wangge_app.volunteer.redemption.expire_vouchers")
# A merchant user logs in straight to the merchant portal.
role_home_page = {"Partner Merchant": "merchant"}
