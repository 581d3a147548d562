# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Where each DocType's records belong: the declaration that the permission layer
(`wangge_app.permissions`) and the permission hooks follow (`dev/generate_hooks.py` writes them into
`wangge_app/declared_hooks.py`, which hooks.py imports).

Kept free of Frappe imports: plain declarations, which dev/generate_hooks.py reads too.
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
	# What the field app sent under a key made on the phone: read by its grid's managers (the grid of the
	# record it made, or of the household it named); the worker sees their own through the field app's
	# endpoints (wangge_app/field/api.py), which match the owner.
	"Field Submission": Scope(grid_field="grid"),
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


@dataclass(frozen=True)
class History:
	"""A child table that records what happened (steps, follow-ups, checks, logs): its rows are appended
	at the end, never changed, moved or removed (`wangge_app.history` enforces it). A correction is a
	new row that says what it corrects.

	parent, table_field: the record and its Table field that hold the rows;
	stamped_by, stamped_at: the fields the server sets on a new row, whatever the request sent: the
	user who records it, and when (besides the row's own `owner` and `creation`, which every history
	row gets); "latest" means latest by the first of `stamped_at`, then `creation`;
	by_app: only the app writes rows (the table sits at a permission level no role writes); the
	controller sets their stamps, which may be the time of the event (a case's discovery), not of the
	save, and a row sent by a request is refused;
	fill_once: fields of a stored row that may be filled in once while empty (a department's answer).
	"""

	parent: str
	table_field: str
	stamped_by: tuple[str, ...] = ()
	stamped_at: tuple[str, ...] = ()
	by_app: bool = False
	fill_once: tuple[str, ...] = ()


# Every child table of the app is either history (below) or editable (EDITABLE_TABLES);
# wangge_app/tests/test_history_rows.py fails for one that is neither.
HISTORY: dict[str, History] = {
	# Mediation
	"Dispute Case Step": History(
		"Dispute Case", "step_log", stamped_by=("recorded_by",), stamped_at=("step_time",), by_app=True
	),
	"Dispute Case Follow-up": History("Dispute Case", "follow_up_visits"),
	"Dispute Case Overdue": History("Dispute Case", "overdue_log", stamped_at=("noticed_at",), by_app=True),
	# Resident Services
	"Resident Request Step": History(
		"Resident Request", "step_log", stamped_by=("user",), stamped_at=("step_time",), by_app=True
	),
	"Resident Request Follow-up": History(
		"Resident Request", "follow_ups", stamped_by=("followed_up_by",), stamped_at=("recorded_at",)
	),
	"Resident Request Chase": History(
		"Resident Request", "chases", stamped_by=("chased_by",), stamped_at=("chased_at",), by_app=True
	),
	"Resident Request Overdue": History(
		"Resident Request", "overdue_log", stamped_at=("noticed_at",), by_app=True
	),
	"Resident Request Referral": History(
		"Resident Request", "referrals", stamped_by=("recorded_by",), fill_once=("answer", "answered_on")
	),
	"Document Custody Log": History("Assisted Service Request", "custody_log", stamped_by=("handled_by",)),
	# Safety
	"Safety Hazard Check": History(
		"Safety Hazard", "acceptance_checks", stamped_by=("checked_by",), stamped_at=("recorded_at",)
	),
	# Party Building: a central household's contacts with the households it serves.
	"Party Member Household Contact": History("Party Member Household", "contact_log"),
}

# Child tables whose rows are the record's current state, edited as it changes.
EDITABLE_TABLES = frozenset(
	{
		# Community Life
		"Activity Programme Month",
		"Community Activity Volunteer",
		"Resident Group Member",
		"Resident Group Space",
		"Space Booking Occurrence",  # moved or cancelled one by one
		# Grid
		"Grid Worker Assignment",
		# Mediation: who is involved and handles the case; the time targets of the settings
		"Dispute Case Household",
		"Dispute Case Party",
		"Dispute Case Handler",
		"Mediation Time Target",
		# Party Building
		"Served Household",
		"Station Service Offered",
		# Safety: checklists, an inspection's answers until it is submitted, photos
		"Inspection Template Item",
		"Safety Inspection Item",
		"Safety Photo",
		# Volunteer: merchants' users; an activity's participants until it is submitted
		"Partner Merchant User",
		"Volunteer Activity Participant",
	}
)


def history_parents() -> dict[str, list[str]]:
	"""{parent DocType: [child DocType of each of its history tables]}."""
	parents: dict[str, list[str]] = {}
	for child, history in HISTORY.items():
		parents.setdefault(history.parent, []).append(child)
	return parents
