# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Where each DocType's records belong: the declaration that the permission layer
(`wangge_app.permissions`) and the permission hooks in hooks.py follow.

Kept free of Frappe imports, as hooks.py reads it when Frappe loads the app's hooks.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PARTNER_MERCHANT = "Partner Merchant"
PARTY_MEMBER = "In-service Party Member"


@dataclass(frozen=True)
class Scope:
	"""Where a DocType's records belong.

	grid_field: the field that holds the record's grid ("name" for Grid itself);
	grid_via: the DocType that field links to, when the record's grid is that record's grid
	(a ledger entry belongs to its member's grid);
	merchant_field: the field that holds the record's partner merchant ("name" for the merchant);
	community_field: the field that holds the community (a Grid of level Community) a record of the
	whole community belongs to: its spaces, groups, activities and service stations. Users whose grids
	lie in or under the community see it, and so do those above it (a district's staff);
	community_from: the link whose record's community the record takes (a booking its space's).
	A DocType with none is shared by the whole site (settings, catalogues, partner departments):
	role permissions alone decide.
	"""

	grid_field: str | None = None
	grid_via: str | None = None
	merchant_field: str | None = None
	community_field: str | None = None
	community_from: str | None = None


SITE_WIDE = Scope()
OF_A_COMMUNITY = Scope(community_field="community")

# Every DocType of the app but child tables, whose rows belong where their parent does.
SCOPES: dict[str, Scope] = {
	# Grid
	"Grid": Scope(grid_field="name"),
	"Household": Scope(grid_field="grid"),
	"Resident": Scope(grid_field="grid"),
	"Partner Department": SITE_WIDE,
	# Party Building
	"Party Member Household": Scope(grid_field="grid"),
	"Party Building Settings": SITE_WIDE,
	"Party Mass Service Station": OF_A_COMMUNITY,
	"Service Station Log": Scope(community_field="community", community_from="station"),
	"Station Service": SITE_WIDE,
	# Mediation
	"Dispute Case": Scope(grid_field="grid"),
	"Mediation Settings": SITE_WIDE,
	# Volunteer
	"Work Unit": SITE_WIDE,
	"Volunteer Service Type": SITE_WIDE,
	PARTY_MEMBER: Scope(grid_field="grid"),
	"Volunteer Activity": Scope(grid_field="grid"),
	"Volunteer Points Entry": Scope(grid_field="member", grid_via=PARTY_MEMBER),
	"Points Adjustment": Scope(grid_field="member", grid_via=PARTY_MEMBER),
	PARTNER_MERCHANT: Scope(merchant_field="name"),
	"Redemption Offer": Scope(merchant_field="merchant"),
	"Points Redemption": Scope(grid_field="member", grid_via=PARTY_MEMBER, merchant_field="merchant"),
	# Resident Services
	"Resident Request": Scope(grid_field="grid"),
	"Request Category": SITE_WIDE,
	"Request Grade": SITE_WIDE,
	"Contact Card Token": Scope(grid_field="grid"),
	"Household Visit": Scope(grid_field="grid"),
	"Assisted Service Type": SITE_WIDE,
	"Assisted Service Request": Scope(grid_field="grid"),
	# Community Life: spaces, bookings, groups and activities are a community's; a sign-up belongs to
	# its resident's grid.
	"Community Space": OF_A_COMMUNITY,
	"Space Booking": Scope(community_field="community", community_from="space"),
	"Resident Group": OF_A_COMMUNITY,
	"Activity Programme": OF_A_COMMUNITY,
	"Community Activity": Scope(community_field="community", community_from="space"),
	"Activity Sign-up": Scope(grid_field="grid"),
	# Safety
	"Premises": Scope(grid_field="grid"),
	"Inspection Template": SITE_WIDE,
	"Inspection Plan": Scope(grid_field="grid"),
	"Safety Inspection": Scope(grid_field="grid"),
	"Safety Hazard": Scope(grid_field="grid"),
	"Safety Settings": SITE_WIDE,
}

APP_PATH = Path(__file__).parent


@cache
def doctypes_on_disk() -> dict[str, dict]:
	"""Every DocType the app ships, read from its JSON: {name: {"istable": bool, "tables": [child, …]}}."""
	doctypes = {}
	for path in sorted(APP_PATH.glob("*/doctype/*/*.json")):
		if path.stem != path.parent.name:
			continue
		definition = json.loads(path.read_text(encoding="utf-8"))
		if definition.get("doctype") != "DocType":
			continue
		doctypes[definition["name"]] = {
			"istable": bool(definition.get("istable")),
			"tables": [
				field["options"]
				for field in definition.get("fields", [])
				if field.get("fieldtype") in ("Table", "Table MultiSelect")
			],
		}
	return doctypes


def query_conditions_hook_name(doctype: str) -> str:
	"""e.g. Dispute Case -> dispute_case_query_conditions (wangge_app.permissions provides them)."""
	return doctype.lower().replace(" ", "_").replace("-", "_") + "_query_conditions"
