# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The roles the app ships and reads, named once.

Sites store these names (the DocTypes' permissions, users' roles, the workflows' transitions, User
Permissions' reasons): they are never renamed. Plain literals, as hooks.py reads them when Frappe loads
the app's hooks.
"""

COMMUNITY_MANAGER = "Community Manager"
GRID_WORKER = "Grid Worker"
PARTNER_MERCHANT = "Partner Merchant"  # a merchant's website user (also the name of the merchant's DocType)
BRANCH_SECRETARY = "Grid Party Branch Secretary"
PARTY_COMMITTEE = "Community Party Committee"
MEDIATOR = "Community Mediator"
DISTRICT_MANAGER = "District Manager"
# Frappe's own.
SYSTEM_MANAGER = "System Manager"

# The roles the app ships as a fixture (hooks.py).
APP_ROLES = (
	COMMUNITY_MANAGER,
	GRID_WORKER,
	PARTNER_MERCHANT,
	BRANCH_SECRETARY,
	PARTY_COMMITTEE,
	MEDIATOR,
	DISTRICT_MANAGER,
)
