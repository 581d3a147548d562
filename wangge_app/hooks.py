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
