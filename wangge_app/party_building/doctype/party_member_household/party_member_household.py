# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.query_builder import DocType
from frappe.utils import comma_and, today
from frappe.utils.nestedset import get_ancestors_of

from wangge_app.party_building.doctype.party_building_settings.party_building_settings import (
	get_served_household_bounds,
)
from wangge_app.utils.workflow import validate_workflow_save
from wangge_app.workflows import APPLIED, BRANCH_APPROVED, DESIGNATED, WITHDRAWN

# States in which a record still stands for (or applies to be) the household's central household.
OPEN_STATES = (APPLIED, BRANCH_APPROVED, DESIGNATED)
COMMITMENTS = {
	"commit_law_abiding": "Abide by Laws and Discipline",
	"commit_civil_conduct": "Civil Words and Deeds",
	"commit_advice": "Offer Advice and Suggestions",
	"commit_community": "Integrate into the Community",
}


class PartyMemberHousehold(Document):
	def validate(self):
		validate_workflow_save(self)
		self.set_party_member_details()
		if self.status in OPEN_STATES:
			self.validate_party_member()
			self.validate_one_open_record_per_household()
		self.validate_served_households()
		self.validate_contact_log()
		self.served_household_count = len(self.served_households)
		if self.status == DESIGNATED:
			self.validate_active()
		self.set_status_dates()

	def set_party_member_details(self):
		"""Household, grid and phone always follow the party member's registration."""
		member = frappe.db.get_value(
			"Resident", self.party_member, ["full_name", "household", "mobile"], as_dict=True
		)
		household = frappe.db.get_value(
			"Household", member.household, ["grid", "address", "phone"], as_dict=True
		)
		self.party_member_name = member.full_name
		self.household = member.household
		self.address = household.address
		self.grid = household.grid
		self.contact_phone = member.mobile or household.phone

	def validate_party_member(self):
		if not frappe.db.get_value("Resident", self.party_member, "is_party_member"):
			frappe.throw(
				_("{0} is not registered as a party member, so cannot run a central household.").format(
					frappe.bold(self.party_member_name)
				),
				title=_("Not a Party Member"),
			)

	def validate_one_open_record_per_household(self):
		other = frappe.db.get_value(
			"Party Member Household",
			{"household": self.household, "status": ("in", OPEN_STATES), "name": ("!=", self.name)},
			["name", "status"],
			as_dict=True,
		)
		if not other:
			return
		if frappe.has_permission("Party Member Household", "read", doc=other.name):
			message = _("The household {0} already has the central household record {1} ({2}).").format(
				frappe.bold(self.address), frappe.bold(other.name), _(other.status)
			)
		else:
			message = _(
				"This household already has a central household record. Please contact the community office."
			)
		frappe.throw(message, frappe.DuplicateEntryError)

	def validate_served_households(self):
		if not self.served_households:
			return
		households = {
			row.name: row
			for row in frappe.get_all(
				"Household",
				{"name": ("in", [row.household for row in self.served_households])},
				["name", "grid", "address"],
			)
		}
		area = grid_level_of(self.grid)
		area_grids = set(frappe.get_all("Grid", {"name": ("descendants of (inclusive)", area)}, pluck="name"))
		seen = set()
		for row in self.served_households:
			household = households[row.household]
			if row.household == self.household:
				frappe.throw(_("Row {0}: a central household does not serve itself.").format(row.idx))
			if row.household in seen:
				frappe.throw(
					_("Row {0}: the household {1} is listed twice.").format(
						row.idx, frappe.bold(household_label(row.household, household.address))
					)
				)
			seen.add(row.household)
			if household.grid not in area_grids:
				frappe.throw(
					_(
						"Row {0}: the household {1} lies outside {2}, the grid of this central household."
					).format(
						row.idx,
						frappe.bold(household_label(row.household, household.address)),
						frappe.bold(grid_title(area)),
					),
					title=_("Household Outside the Grid"),
				)
		if self.status in OPEN_STATES:
			self.validate_not_served_elsewhere()

	def validate_not_served_elsewhere(self):
		"""A household is looked after by at most one active central household."""
		households = [row.household for row in self.served_households]
		central = DocType("Party Member Household")
		served = DocType("Served Household")
		query = (
			frappe.qb.from_(served)
			.join(central)
			.on(central.name == served.parent)
			.select(served.household, central.name, central.party_member_name)
			.where(served.parenttype == "Party Member Household")
			.where(central.status == DESIGNATED)
			.where(central.name != self.name)
			.where(served.household.isin(households))
		)
		if self.status == DESIGNATED:
			# Two approvals sharing a household queue on its row; the locking read then sees
			# what the first one committed, so only one of them passes.
			household = DocType("Household")
			frappe.qb.from_(household).select(household.name).where(
				household.name.isin(households)
			).for_update().run()
			query = query.for_update()
		taken = {household: (name, party_member_name) for household, name, party_member_name in query.run()}
		for row in self.served_households:
			if row.household not in taken:
				continue
			other, party_member_name = taken[row.household]
			household = frappe.bold(household_label(row.household, row.address))
			if frappe.has_permission("Party Member Household", "read", doc=other):
				message = _(
					"Row {0}: the household {1} is already served by the central household of {2}."
				).format(row.idx, household, frappe.bold(party_member_name))
			else:
				# Who serves it, and where, is for those who may read that central household.
				message = _(
					"Row {0}: the household {1} is already served by another central household. Please contact the community office."
				).format(row.idx, household)
			frappe.throw(message, title=_("Household Already Served"))

	def validate_contact_log(self):
		"""A new contact is with a household served now. The log is history (wangge_app/history.py):
		recorded contacts stay, also with households no longer served."""
		served = {row.household for row in self.served_households}
		for row in self.contact_log:
			if row.is_new() and row.household not in served:
				frappe.throw(
					_("Contact log row {0}: {1} is not one of the households served.").format(
						row.idx, frappe.bold(row.household)
					)
				)

	def validate_active(self):
		least, most = get_served_household_bounds()
		count = len(self.served_households)
		if not least <= count <= most:
			frappe.throw(
				_("An active central household serves {0} to {1} households; this one lists {2}.").format(
					least, most, count
				),
				title=_("Number of Served Households"),
			)
		missing = [_(label) for fieldname, label in COMMITMENTS.items() if not self.get(fieldname)]
		if missing:
			frappe.throw(
				_("The party member has not made every commitment yet: {0} missing.").format(
					comma_and(missing, add_quotes=False)
				),
				title=_("Commitments Missing"),
			)

	def get_notice_details(self) -> dict:
		"""What the central-household notice (公示牌) shows besides the record itself."""
		details = frappe.get_cached_doc("Grid", self.grid).get_contact_card_details()
		# Communities are the roots of the grid tree; the notice is issued by the community's party committee.
		community = frappe.get_cached_doc("Grid", get_ancestors_of("Grid", self.grid)[-1])
		return {**details, "issuer": community.party_branch or community.grid_name}

	def set_status_dates(self):
		if not self.has_value_changed("status"):
			return
		if self.status == DESIGNATED:
			self.designation_date = self.designation_date or today()
		elif self.status == WITHDRAWN:
			self.withdrawal_date = today()


def grid_level_of(grid: str) -> str:
	"""The grid that a grid or micro-grid belongs to: a central household serves that whole grid."""
	level, parent = frappe.db.get_value("Grid", grid, ["grid_level", "parent_grid"])
	return parent if level == "Micro-grid" else grid


def household_label(household: str, address: str | None = None) -> str:
	"""How an error names a household: its address for those who may read it, else its row's ID."""
	if frappe.has_permission("Household", "read", doc=household):
		return address or frappe.db.get_value("Household", household, "address") or household
	return household


def grid_title(grid: str) -> str:
	return frappe.db.get_value("Grid", grid, "grid_name")
