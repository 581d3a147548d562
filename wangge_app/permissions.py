# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The app's one permission layer, following where each DocType's records belong (`wangge_app.scopes`).

- A **grid-scoped** record belongs to a grid (its own field, or the grid of a record it links to).
  Grid workers and party branch secretaries see and change only the records of the grids they
  hold through User Permissions on Grid (the Grid form's worker table grants them), sub-grids
  included; without any grid they see none.
- A **merchant-scoped** record belongs to a partner merchant; a merchant's users see only their own.
- A record **of a community** (its spaces, bookings, resident groups, activities, programmes, service
  stations and their logs) belongs to a community: users whose grids lie in or under it see it, and so
  do users above it (a district's staff); a community's staff see none of another community's.
- **Site-wide** records (settings, catalogues, partner departments, work units) carry no scope: role
  permissions decide.
- A child table's rows belong to wherever their parent belongs.

From `SCOPES` follow the permission hooks (`hooks.py`: list and count conditions, document
checks, child-table reads) and the save-time check that every link a user sets stays in scope
(`validate_links_in_scope`). `test_permission_layer` fails for a DocType of the app that is not
classified in `SCOPES`, so a new DocType cannot forget its scope.

Community roles (below) see every grid, unless an administrator gives them their area as User
Permissions on Grid: a community's staff on a district's site hold a User Permission on their community
and see its subtree only, as grid workers see theirs; a District Manager holds one on the district, or none
on a site of one district. Administrator is not restricted by grid or merchant.
"""

import frappe
from frappe import _
from frappe.model import no_value_fields, table_fields
from frappe.model.document import Document
from frappe.permissions import get_user_permissions

from wangge_app.scopes import (
	PARTNER_MERCHANT,
	SCOPES,
	Scope,
	doctypes_on_disk,
	query_conditions_hook_name,
)

GRID = "Grid"
COMMUNITY_LEVEL = "Community"
GRID_WORKER_ROLE = "Grid Worker"
DISTRICT_MANAGER_ROLE = "District Manager"

# Roles that see every grid of the site unless User Permissions on Grid give them their area.
COMMUNITY_ROLES = frozenset(
	{
		"System Manager",
		"Community Manager",
		"Community Mediator",
		"Community Party Committee",
		DISTRICT_MANAGER_ROLE,
	}
)
MERCHANT_ROLE = "Partner Merchant"
# Desk roles that see every merchant; a user with none of them and the merchant role is a merchant's user.
MERCHANT_OVERSEER_ROLES = frozenset({"System Manager", "Community Manager", "Grid Worker"})


def child_table_parents() -> dict[str, list[str]]:
	"""Each child table of the app with the DocTypes that hold it."""
	parents: dict[str, list[str]] = {}
	for doctype, definition in doctypes_on_disk().items():
		for child in definition["tables"]:
			parents.setdefault(child, []).append(doctype)
	return parents


# Who the user is restricted to
def is_community_user(user: str) -> bool:
	return user == "Administrator" or bool(COMMUNITY_ROLES & set(frappe.get_roles(user)))


def is_merchant_user(user: str | None = None) -> bool:
	"""A user limited to one merchant's data: the merchant role and no desk role that sees all merchants."""
	roles = set(frappe.get_roles(user or frappe.session.user))
	return MERCHANT_ROLE in roles and not roles & MERCHANT_OVERSEER_ROLES


def get_user_merchant(user: str | None = None) -> str | None:
	"""The merchant a website user acts for (set in the Partner Merchant's Merchant Users table)."""
	return frappe.db.get_value(
		"Partner Merchant User",
		{"user": user or frappe.session.user, "parenttype": PARTNER_MERCHANT},
		"parent",
	)


def user_grids(user: str | None = None) -> set[str] | None:
	"""The grids a user may see, sub-grids included; None when the user sees every grid.

	They are the user's User Permissions on Grid (Frappe caches them and adds the sub-grids): the
	Grid form grants them to its grid workers, and an administrator grants them to others: a grid to a
	party branch secretary, a community to its Community Manager, Mediator or Party Committee, a
	district to its District Manager. A user of a community role with none sees every grid (a site of
	one community, as before districts); any other user with none sees no grid. Frappe's own User
	Permission checks restrict the same users in the same way."""
	user = user or frappe.session.user
	if user == "Administrator":
		return None
	grids = {permission.doc for permission in get_user_permissions(user).get(GRID, [])}
	if not grids and is_community_user(user):
		return None
	return grids


def sees_every_grid(user: str) -> bool:
	return user_grids(user) is None


def user_areas(user: str | None = None) -> set[str] | None:
	"""The grids whose records of a community a user sees: the user's grids and every grid above them
	(a grid worker sees their community's spaces and activities, and a district's); None when the
	user sees every grid."""
	grids = user_grids(user)
	if not grids:
		return grids
	grid = frappe.qb.DocType(GRID)
	below = frappe.qb.DocType(GRID).as_("below")
	ancestors = (
		frappe.qb.from_(grid)
		.join(below)
		.on((grid.lft < below.lft) & (grid.rgt > below.rgt))
		.where(below.name.isin(sorted(grids)))
		.select(grid.name)
		.distinct()
		.run(pluck=True)
	)
	return set(grids) | set(ancestors)


# List, report and count conditions
def scope_conditions(doctype: str, user: str | None = None) -> str:
	"""The SQL condition that keeps a query of `doctype` inside the user's scope ("" when unrestricted)."""
	user = user or frappe.session.user
	scope = SCOPES.get(doctype)
	if scope is None:
		return child_conditions(doctype, user)
	table = f"`tab{doctype}`"
	conditions = []
	if is_merchant_user(user):
		if not scope.merchant_field:
			# A merchant's user sees nothing of the community's registry, whatever roles say.
			return "1=0" if scope.grid_field or scope.community_field else ""
		merchant = get_user_merchant(user)
		if not merchant:
			return "1=0"
		conditions.append(f"{table}.`{scope.merchant_field}` = {frappe.db.escape(merchant)}")
	elif scope.grid_field:
		grids = user_grids(user)
		if grids is not None:
			conditions.append(grid_condition(table, scope, grids))
	elif scope.community_field:
		areas = user_areas(user)
		if areas is not None:
			conditions.append(values_condition(f"{table}.`{scope.community_field}`", areas))
	return " and ".join(conditions)


def values_condition(column: str, values: set[str]) -> str:
	if not values:
		return "1=0"
	return f"{column} in ({', '.join(frappe.db.escape(value) for value in sorted(values))})"


def grid_condition(table: str, scope: Scope, grids: set[str]) -> str:
	if not grids:
		return "1=0"
	values = ", ".join(frappe.db.escape(grid) for grid in sorted(grids))
	if scope.grid_via:
		return f"{table}.`{scope.grid_field}` in (select `name` from `tab{scope.grid_via}` where `grid` in ({values}))"
	return f"{table}.`{scope.grid_field}` in ({values})"


def child_conditions(doctype: str, user: str) -> str:
	"""Rows of a child table read directly are limited to the parents the user may see."""
	parents = child_table_parents().get(doctype)
	if not parents:
		return ""
	table = f"`tab{doctype}`"
	alternatives = []
	for parent in parents:
		condition = scope_conditions(parent, user)
		rows_of_parent = f"{table}.`parenttype` = {frappe.db.escape(parent)}"
		if condition:
			# (A community-wide parent, a Single among them, has no condition and needs no subquery.)
			rows_of_parent += f" and {table}.`parent` in (select `name` from `tab{parent}` where {condition})"
		alternatives.append(f"({rows_of_parent})")
	return "(" + " or ".join(alternatives) + ")"


def query_conditions_hook(doctype: str):
	"""The permission_query_conditions hook of one DocType (hooks.py names it `<doctype>_query_conditions`):
	Frappe 15.0 calls these hooks with the user alone, so each DocType has its own."""

	def conditions(user: str | None = None, **kwargs) -> str:
		return scope_conditions(doctype, user)

	return conditions


def __getattr__(name: str):
	doctype = {query_conditions_hook_name(doctype): doctype for doctype in doctypes_on_disk()}.get(name)
	if doctype is None:
		raise AttributeError(name)
	return query_conditions_hook(doctype)


# Document checks
def in_scope(doctype: str, values, user: str | None = None) -> bool:
	"""Whether a record (a document, or a dict of its scope fields) lies inside the user's scope."""
	user = user or frappe.session.user
	scope = SCOPES.get(doctype)
	if scope is None:
		return True
	if is_merchant_user(user):
		if not scope.merchant_field:
			return not (scope.grid_field or scope.community_field)
		merchant = values.get(scope.merchant_field)
		return bool(merchant) and merchant == get_user_merchant(user)
	if scope.grid_field:
		grids = user_grids(user)
		if grids is not None:
			return grid_of(scope, values) in grids
	elif scope.community_field:
		areas = user_areas(user)
		if areas is not None:
			return values.get(scope.community_field) in areas
	return True


def scope_fields(scope: Scope) -> list[str]:
	"""The fields that say where a record lies."""
	return [field for field in (scope.grid_field, scope.merchant_field, scope.community_field) if field]


def grid_of(scope: Scope, values) -> str | None:
	value = values.get(scope.grid_field)
	if value and scope.grid_via:
		return frappe.db.get_value(scope.grid_via, value, "grid")
	return value


def record_in_scope(doctype: str, name: str, user: str | None = None) -> bool:
	"""Whether the stored record `name` lies inside the user's scope."""
	scope = SCOPES.get(doctype)
	if scope is None:
		return True
	fields = scope_fields(scope)
	if not fields:
		return True
	values = frappe.db.get_value(doctype, name, fields, as_dict=True)
	return bool(values) and in_scope(doctype, values, user)


def has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	"""has_permission hook of every DocType of the app: the record, as stored and as it would be saved,
	must lie in the user's scope; a child-table row, in its parent record's. A new record whose grid its
	controller works out later (from a household, say) is checked when it is saved
	(`validate_links_in_scope`)."""
	user = user or frappe.session.user
	if doc.meta.istable:
		return parent_record_permission(doc, ptype or "read", user)
	scope = SCOPES.get(doc.doctype)
	if scope is None or (is_community_user(user) and sees_every_grid(user)):
		return None
	if not doc.is_new() and not record_in_scope(doc.doctype, doc.name, user):
		return False
	values = placed(doc)
	fields = scope_fields(scope)
	if doc.is_new() and not all(values.get(field) for field in fields):
		return None
	return None if in_scope(doc.doctype, values, user) else False


def parent_record_permission(row, ptype: str, user: str) -> bool | None:
	"""A child-table row is read and changed as part of its parent record. Frappe 15 checks a row loaded
	on its own (REST, `getdoc`, `get_doc_permissions`) against its parent DocType's role permissions
	only, not against the record it belongs to; here the parent record decides."""
	parent = row.parent_doc
	if parent is not None:
		return None if frappe.has_permission(parent.doctype, ptype, doc=parent, user=user) else False
	if not (row.parenttype and row.parent):
		return None  # a row not yet placed in a record: the record is checked when it is saved
	parent_meta = frappe.get_meta(row.parenttype)
	if row.doctype not in {df.options for df in parent_meta.get_table_fields()}:
		return False
	if not frappe.db.exists(row.parenttype, row.parent):
		return False
	return None if frappe.has_permission(row.parenttype, ptype, doc=row.parent, user=user) else False


def has_record_permission(doctype: str, ptype: str, name: str, user: str | None = None) -> bool:
	"""`frappe.has_permission` for a stored record named by its DocType and name, child-table rows
	included: Frappe 15 checks a row named this way against its parent DocType's role permissions
	only (it looks for the row's `parent_doc` on a dict, where every key answers None)."""
	if frappe.get_meta(doctype).istable:
		row = frappe.db.get_value(doctype, name, ("parenttype", "parent"), as_dict=True)
		if not row or not row.parenttype or not frappe.db.exists(row.parenttype, row.parent):
			return False
		doctype, name = row.parenttype, row.parent
	return frappe.has_permission(doctype, ptype, doc=name, user=user)


class RowOfRecord(Document):
	"""Base of the app's child tables. Frappe 15 answers `has_permission` of a row loaded on its own
	from its parent DocType's role permissions alone (the row's `parent_doc` is None then), and calls
	no `has_permission` hook of the child DocType there; the row's own controller is the extension
	point that sees every such read (REST v1 and v2, `frappe.client.get`, `getdoc`)."""

	def has_permission(self, permtype="read", *, debug=False, user=None) -> bool:
		if not super().has_permission(permtype, debug=debug, user=user):
			return False
		if self.flags.ignore_permissions:
			return True
		return parent_record_permission(self, permtype, user or frappe.session.user) is not False


def placed(doc):
	"""What says where a record lies: a new grid lies where its parent grid does (it is not yet among
	the user's grids; a grid with no parent lies outside every scoped user's area)."""
	if doc.doctype == GRID and doc.is_new():
		return {"name": doc.get("parent_grid")}
	return doc


def validate_links_in_scope(doc, method=None):
	"""doc_events before_validate and validate: the record and every record it links to (child rows
	included) must lie in the user's scope; nothing from another grid or merchant is copied in.

	Before the controller's validate, so that nothing it reads from a linked record (into the
	document or into an error message) comes from outside the scope; after it, once more for what
	the controller works out itself (a case's grid from its households, a resident's from the household)."""
	if doc.flags.ignore_permissions or frappe.flags.in_install or frappe.flags.in_migrate:
		return
	user = frappe.session.user
	if is_community_user(user) and sees_every_grid(user):
		return
	scope = SCOPES.get(doc.doctype)
	placing_fields = scope_fields(scope) if scope else []
	derived = method != "before_validate"
	if (
		derived
		and scope
		and scope.grid_field
		and not scope.grid_via
		and not doc.get(scope.grid_field)
		and user_grids(user) is not None
	):
		frappe.throw(
			_("{0}: choose one of your grids.").format(_(doc.meta.get_label(scope.grid_field))),
			frappe.MandatoryError,
		)
	if (
		scope
		and (derived or all(placed(doc).get(field) for field in placing_fields))
		and not in_scope(doc.doctype, placed(doc), user)
	):
		frappe.throw(
			_("{0} {1} would lie outside your grids; you can only keep records of your own grids.").format(
				_(doc.doctype), frappe.bold(doc.name)
			),
			frappe.PermissionError,
			title=_("Outside Your Grids"),
		)
	before = doc.get_doc_before_save()
	for row in [doc, *doc.get_all_children()]:
		old = row_before(before, row)
		for df in row.meta.get_link_fields():
			value = row.get(df.fieldname)
			if not value or df.options not in SCOPES or (old and old.get(df.fieldname) == value):
				continue
			if row is doc and scope and df.fieldname == scope.community_field:
				# The record's own community: in the user's area (above), though above the user's grids.
				continue
			if not record_in_scope(df.options, value, user):
				frappe.throw(
					_("{0}: {1} {2} lies outside your grids and cannot be linked.").format(
						_(row.meta.get_label(df.fieldname)), _(df.options), frappe.bold(value)
					),
					frappe.PermissionError,
					title=_("Outside Your Grids"),
				)


# Records of a community
def community_of(grid: str | None) -> str | None:
	"""The community a grid lies in (itself, for a community); None for a grid above every community."""
	if not grid:
		return None
	node = frappe.db.get_value(GRID, grid, ["lft", "rgt", "grid_level"], as_dict=True)
	if not node:
		return None
	if node.grid_level == COMMUNITY_LEVEL:
		return grid
	return frappe.db.get_value(
		GRID, {"grid_level": COMMUNITY_LEVEL, "lft": ("<", node.lft), "rgt": (">", node.rgt)}, "name"
	)


def default_community(user: str | None = None) -> str | None:
	"""The one community of the user's area, or of the site for a user who sees every grid."""
	areas = user_areas(user)
	filters = {"grid_level": COMMUNITY_LEVEL}
	if areas is not None:
		filters["name"] = ("in", sorted(areas) or [""])
	communities = frappe.get_all(GRID, filters, pluck="name", limit=2)
	return communities[0] if len(communities) == 1 else None


def set_community(doc, method=None):
	"""doc_events before_validate of the records of a community: the community is that of the record it
	comes from (a booking's space's, a log's station's), else the one chosen (a grid chosen stands for
	its community), else the user's own, else the site's only one."""
	scope = SCOPES[doc.doctype]
	source = scope.community_from and doc.get(scope.community_from)
	if source:
		source_doctype = doc.meta.get_field(scope.community_from).options
		community = frappe.db.get_value(source_doctype, source, SCOPES[source_doctype].community_field)
	else:
		chosen = doc.get(scope.community_field)
		community = community_of(chosen) if chosen else default_community()
		if chosen and not community:
			frappe.throw(
				_(
					"{0}: {1} is not a community and lies in none. Choose the community the record belongs to."
				).format(_(doc.meta.get_label(scope.community_field)), frappe.bold(chosen))
			)
	if not community:
		frappe.throw(
			_("{0}: choose the community this record belongs to.").format(
				_(doc.meta.get_label(scope.community_field))
			),
			frappe.MandatoryError,
		)
	doc.set(scope.community_field, community)


def name_within_community(doc, method=None):
	"""doc_events autoname of the records of a community named by their own words (a room, a group, a
	station, a programme): one site holds a district, where two communities may each have a 活动室.
	The name is the one the DocType's naming gives; where another community's record has it already, the
	record's community follows it, so that neither refusal nor its message tells of the other's record.
	Within one community a name is still taken once."""
	autoname = doc.meta.autoname or ""
	if not autoname.startswith(("field:", "format:")):
		return
	from frappe.model.naming import set_name_from_naming_options

	set_community(doc)
	set_name_from_naming_options(autoname, doc)
	community_field = SCOPES[doc.doctype].community_field
	holder = frappe.db.get_value(doc.doctype, doc.name, [community_field], as_dict=True)
	if holder and holder[community_field] != doc.get(community_field):
		community_name = frappe.db.get_value(GRID, doc.get(community_field), "grid_name")
		doc.name = f"{doc.name}（{community_name}）"


def validate_within_community(doc, method=None):
	"""doc_events validate of the records of a community: what they link to (a group's members, an
	activity's volunteers and space) is of the same community, since that community's staff read it
	here. Checked for every user: an administrator's mistake would leak as much as a user's."""
	scope = SCOPES[doc.doctype]
	community = doc.get(scope.community_field)
	if not community:
		return
	area = frappe.db.get_value(GRID, community, ["lft", "rgt"], as_dict=True)
	before = doc.get_doc_before_save()
	community_changed = not before or before.get(scope.community_field) != community
	for row in [doc, *doc.get_all_children()]:
		old = None if community_changed else row_before(before, row)
		for df in row.meta.get_link_fields():
			value = row.get(df.fieldname)
			linked = SCOPES.get(df.options)
			if not value or not linked or (old and old.get(df.fieldname) == value):
				continue
			if row is doc and df.fieldname == scope.community_field:
				continue
			if linked.community_field:
				inside = frappe.db.get_value(df.options, value, linked.community_field) == community
			elif linked.grid_field:
				values = (
					{linked.grid_field: value}
					if linked.grid_field == "name"
					else frappe.db.get_value(df.options, value, [linked.grid_field], as_dict=True)
				)
				grid = grid_of(linked, values or {})
				node = grid and frappe.db.get_value(GRID, grid, ["lft", "rgt"], as_dict=True)
				inside = bool(node) and area.lft <= node.lft and node.rgt <= area.rgt
			else:
				continue
			if not inside:
				frappe.throw(
					_("{0}: {1} {2} is not of community {3}.").format(
						_(row.meta.get_label(df.fieldname)),
						_(df.options),
						frappe.bold(value),
						frappe.bold(community),
					),
					title=_("Another Community"),
				)


def row_before(before, row):
	"""The same row as it was stored, if it was."""
	if not before:
		return None
	if row.doctype == before.doctype:
		return before
	for old in before.get(row.parentfield) or []:
		if old.name == row.name:
			return old
	return None


# Workflow Action (Frappe's list of the open workflow actions a user may take)
def workflow_action_query_conditions(user: str | None = None, **kwargs) -> str:
	"""Frappe lists the open actions on every record the user's roles may act on, of every grid and
	merchant (the names and states of other grids' cases, hazards and requests, other merchants'
	vouchers); here only the actions on records inside the user's scope."""
	user = user or frappe.session.user
	table = "`tabWorkflow Action`"
	conditions = []
	for doctype in sorted(SCOPES):
		condition = scope_conditions(doctype, user)
		if condition:
			conditions.append(
				f"({table}.`reference_doctype` != {frappe.db.escape(doctype)} or {table}.`reference_name` in "
				f"(select `name` from `tab{doctype}` where {condition}))"
			)
	return " and ".join(conditions)


def workflow_action_has_permission(doc, ptype: str | None = None, user: str | None = None) -> bool | None:
	if doc.reference_doctype in SCOPES and doc.reference_name:
		return None if record_in_scope(doc.reference_doctype, doc.reference_name, user) else False
	return None


# User
def user_query_conditions(user: str | None = None, **kwargs) -> str:
	"""Frappe lets every user list every user, with their mobiles, phones and dates of birth; a website
	user (a merchant's) lists only itself."""
	user = user or frappe.session.user
	if user != "Administrator" and frappe.get_cached_value("User", user, "user_type") == "Website User":
		return f"`tabUser`.`name` = {frappe.db.escape(user)}"
	return ""


def hide_unreadable_fields(doc, method=None, *args, **kwargs):
	"""`before_print` of every DocType of the app: the print shows the document as a REST read does.

	Every print path renders through `frappe.www.printview.get_rendered_template`, which runs this
	before the print format and the letter head read the document: the print view, the desk's
	`get_html_and_style`, `download_pdf` and e-mail attachments (`frappe.attach_print`). Frappe prints
	a document with every field, whatever the permission levels (only the Standard format leaves them
	out), so a Jinja format would print an ID number its reader may not read. Fields, and fields of
	child rows, at a permission level the user cannot read are taken away as REST takes them away
	(`apply_fieldlevel_read_permissions`); the masked copies at level 0 stay for the format to print.
	They come back empty, as REST answers them, so that the format and the controller's print
	helpers read nothing instead of failing on a missing attribute."""
	doc.apply_fieldlevel_read_permissions()
	for row in [doc, *doc.get_all_children()]:
		for df in row.meta.fields:
			if df.fieldname not in row.__dict__ and df.fieldtype not in no_value_fields:
				row.set(df.fieldname, [] if df.fieldtype in table_fields else None)


def render_print_attachments_as_sender(doc, method=None):
	"""Email Queue `before_insert`: a print attached to an e-mail is rendered when the mail is sent, by
	the background worker as Administrator, who reads every field. A print of a record of the app is
	rendered here instead, as the user who sends the mail, so that it shows what that user may read
	(`hide_unreadable_fields`); the queue keeps the HTML, which Frappe attaches as it is (as a PDF when
	Print Settings say so)."""
	if frappe.session.user == "Administrator" or not doc.attachments:
		return
	from frappe.translate import print_language

	attachments = frappe.parse_json(doc.attachments)
	for attachment in attachments:
		if (
			attachment.get("print_format_attachment") == 1
			and not attachment.get("html")
			and attachment.get("doctype") in doctypes_on_disk()
		):
			with print_language(attachment.get("lang") or frappe.local.lang):
				attachment["html"] = frappe.get_print(
					attachment["doctype"],
					attachment["name"],
					attachment.get("print_format"),
					no_letterhead=not attachment.get("print_letterhead", True),
					letterhead=attachment.get("letterhead"),
				)
	doc.attachments = frappe.as_json(attachments)


# Following a record (the desk's 跟随, or automatically on commenting, assigning, liking, sharing) mails
# the follower a digest of every change of every field, which Frappe writes from the record's versions
# without asking what the follower may read.
EXPLICIT_FOLLOW_METHODS = (
	"frappe.desk.form.document_follow.follow_document",
	"frappe.desk.form.document_follow.update_follow",
)


def reads_every_field(doctype: str, user: str) -> bool:
	"""The user reads every permission level of the DocType and of its tables: a follow digest then tells
	them nothing their form does not."""
	meta = frappe.get_meta(doctype)
	levels = {df.permlevel or 0 for df in meta.fields}
	for table in meta.get_table_fields():
		levels |= {df.permlevel or 0 for df in frappe.get_meta(table.options).fields}
	return levels <= set(meta.get_permlevel_access("read", user=user))


def may_follow(doctype: str, name: str, user: str) -> bool:
	return reads_every_field(doctype, user) and bool(frappe.has_permission(doctype, "read", name, user=user))


def keep_follows_to_what_the_follower_reads(doc, method=None):
	"""doc_events after_insert of Document Follow: a follow of a record of the app by a user who may not
	read all of it is refused when asked for, and dropped when Frappe made it on its own (a comment, an
	assignment), which must not fail for it."""
	from wangge_app.engine_guards import app_doctype, requested_call

	if not app_doctype(doc.ref_doctype) or may_follow(doc.ref_doctype, doc.ref_docname, doc.user):
		return
	if requested_call(frappe.form_dict).method in EXPLICIT_FOLLOW_METHODS:
		frappe.throw(
			_("Following mails every change of the record, and you may not read all of its fields."),
			frappe.PermissionError,
		)
	frappe.db.delete("Document Follow", doc.name)


def forget_follows_without_access():
	"""Hourly: the follows of the app's records whose follower may no longer read all of them (a grid
	handed to another worker, a role taken away) end."""
	from wangge_app.engine_guards import app_doctype

	for follow in frappe.get_all(
		"Document Follow", fields=["name", "ref_doctype", "ref_docname", "user"], order_by="name"
	):
		if app_doctype(follow.ref_doctype) and not may_follow(
			follow.ref_doctype, follow.ref_docname, follow.user
		):
			frappe.db.delete("Document Follow", follow.name)
