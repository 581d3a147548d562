# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The guards of `wangge_app.engine_guards` name the engine's routes and methods: each name must be one
the running engine has, with the parameters the guard reads, so that an engine update that renames or
adds one fails here instead of opening a path past the permission layer."""

import glob
import importlib
import json
import os
import re
from types import FunctionType, MethodType

import frappe
from frappe.api import API_URL_MAP
from frappe.desk.form.save import savedocs
from frappe.tests.utils import FrappeTestCase

from wangge_app import engine_guards
from wangge_app.engine_lists import (
	HANDLER_METHODS,
	SECURITY_MD,
	engine_function,
	guarded_paths_table,
	parameters,
	unknown_engine_names,
)
from wangge_app.mediation.doctype.dispute_case.test_dispute_case import make_dispute_case
from wangge_app.permissions import has_record_permission
from wangge_app.safety.test_utils import PIXEL, new_hazard_form
from wangge_app.test_utils import make_community_tree, make_household, make_resident, make_user


class TestGuardsMatchTheEngine(FrappeTestCase):
	def test_every_api_route_of_the_engine_is_known_to_the_guard(self):
		engine_routes = {rule.rule for rule in API_URL_MAP.iter_rules()}
		self.assertEqual(
			sorted(engine_routes - set(engine_guards.API_ROUTES)), [], "routes the guard does not read"
		)
		self.assertEqual(
			sorted(set(engine_guards.API_ROUTES) - engine_routes), [], "routes the engine no longer has"
		)

	def test_the_route_variables_the_guard_reads_are_the_engines(self):
		for rule in API_URL_MAP.iter_rules():
			kind = engine_guards.API_ROUTES[rule.rule]
			if kind == engine_guards.RPC:
				self.assertEqual(rule.arguments, {"method"}, rule.rule)
			elif kind == engine_guards.DOCTYPE_RPC:
				self.assertEqual(rule.arguments, {"doctype", "method"}, rule.rule)
			elif kind == engine_guards.RPC_FIXED:
				self.assertEqual(rule.arguments, set(), rule.rule)
			else:
				self.assertIn("doctype", rule.arguments, rule.rule)

	def test_every_name_the_guards_keep_is_the_engines(self):
		"""The allowlist and the arguments it reads, the overrides in hooks.py and SECURITY.md's table."""
		self.assertEqual(unknown_engine_names(), [])
		self.assertGreater(len(guarded_paths_table(SECURITY_MD.read_text(encoding="utf-8"))), 15)

	def test_record_writing_methods_name_their_record_as_the_guard_reads_it(self):
		for name in engine_guards.RECORD_WRITING_METHODS:
			taken = parameters(engine_function(name))
			if not taken:
				continue  # it reads the request's form_dict, where the guard reads too
			entry = engine_guards.ENGINE_METHODS[name]
			self.assertTrue(taken & {*engine_guards.DOCTYPE_ARGUMENTS, entry.doctype}, name)
			self.assertTrue(taken & {*engine_guards.NAME_ARGUMENTS, entry.record, entry.records}, name)

	def test_every_entry_says_why(self):
		for name, entry in engine_guards.ENGINE_METHODS.items():
			self.assertTrue(entry.reason, name)


class TestTheEngineNamesCheck(FrappeTestCase):
	"""`unknown_engine_names` reports a name the engine does not have: a method renamed by an engine
	update (here written wrong on purpose), an argument renamed, and a table that names either."""

	def test_a_wrong_method_and_a_wrong_argument_are_reported(self):
		methods = {
			"frappe.client.get": engine_guards.allowed(engine_guards.READS_RECORD, record="nmae"),
			"frappe.client.get_lsit": engine_guards.allowed(engine_guards.READS_LISTS),
			"frappe.client.get_list": engine_guards.allowed(engine_guards.READS_LISTS),
		}
		problems = unknown_engine_names(methods, overrides={}, security_md=TABLE)
		self.assertIn("ENGINE_METHODS: the engine has no method frappe.client.get_lsit", problems)
		self.assertIn("ENGINE_METHODS: frappe.client.get takes no argument nmae (record)", problems)
		self.assertEqual(len(problems), 2, problems)

	def test_a_wrong_override_is_reported(self):
		methods = {"frappe.client.get_count": engine_guards.allowed(engine_guards.OVERRIDDEN)}
		problems = unknown_engine_names(
			methods,
			overrides={
				"frappe.client.get_count": "wangge_app.engine_guards.get_count",
				"frappe.client.get_cuont": "wangge_app.engine_guards.get_count",
			},
			security_md=TABLE.replace("`frappe.client.get_list`", "`frappe.client.get_count`"),
		)
		self.assertEqual(
			problems,
			[
				"override_whitelisted_methods: the engine has no method frappe.client.get_cuont",
				"SECURITY.md: the override of frappe.client.get_cuont is not in the table of guarded paths",
			],
		)

	def test_the_table_names_methods_in_full_and_as_the_allowlist_does(self):
		methods = {"frappe.client.get_list": engine_guards.allowed(engine_guards.READS_LISTS)}
		table = TABLE.replace(
			"`frappe.client.get_list`", "`frappe.client.get_list`, `get_list`, `frappe.clinet.get`"
		)
		self.assertEqual(
			unknown_engine_names(methods, overrides={}, security_md=table),
			[
				"SECURITY.md: write get_list in full, as the engine names it",
				"SECURITY.md: frappe.clinet.get is not in ENGINE_METHODS",
			],
		)


# A table of guarded paths as SECURITY.md writes it, for the check's own tests.
TABLE = """
| Path | Problem | Guard |
|---|---|---|
| `frappe.client.get_list` of a child table with `parent=` | only the parent DocType's role | a hook |
"""


class TestChildRowsFollowTheirParent(FrappeTestCase):
	"""Frappe 15.41 checks a child-table row loaded or named on its own against its parent DocType's
	role permissions only: a grid worker would read the party rows of another grid's dispute case."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.worker_a = make_user("child-rows-worker-a@example.com", ["Grid Worker"]).name
		cls.worker_b = make_user("child-rows-worker-b@example.com", ["Grid Worker"]).name
		_, grid_a, _ = make_community_tree(workers=[cls.worker_a])
		_, grid_b, _ = make_community_tree(workers=[cls.worker_b])
		resident = make_resident(make_household(grid_b.name).name)
		cls.case_b = make_dispute_case(grid_b.name, [{"party_role": "Applicant", "resident": resident.name}])
		cls.row_b = cls.case_b.parties[0]

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_a_row_loaded_on_its_own_is_read_only_by_who_reads_its_record(self):
		frappe.set_user(self.worker_a)
		row = frappe.get_doc("Dispute Case Party", self.row_b.name)
		self.assertFalse(row.has_permission("read"))
		self.assertRaises(
			frappe.PermissionError,
			frappe.client.get,
			"Dispute Case Party",
			self.row_b.name,
			parent="Dispute Case",
		)
		frappe.set_user(self.worker_b)
		self.assertTrue(frappe.get_doc("Dispute Case Party", self.row_b.name).has_permission("read"))

	def test_a_row_named_on_its_own_is_checked_against_its_record(self):
		self.assertFalse(
			has_record_permission("Dispute Case Party", "write", self.row_b.name, user=self.worker_a)
		)
		self.assertTrue(
			has_record_permission("Dispute Case Party", "write", self.row_b.name, user=self.worker_b)
		)


# Where the desk's JavaScript names a method of the engine: a string "frappe.…" (frappe.call, xcall,
# `method:`), an /api/method/… address, or a method of frappe.handler by its bare name.
DOTTED_METHOD = re.compile(r"""["'`](frappe(?:\.\w+)+)["'`]""")
API_ADDRESS = re.compile(r"/api/method/(\w+(?:\.\w+)*)")
BARE_METHOD = re.compile(r"""(?:method|cmd)\s*:\s*["'](\w+)["']""")


def desk_bundles() -> list[str]:
	"""The desk's JavaScript as the site serves it (`bench build`)."""
	return glob.glob(os.path.join(frappe.local.sites_path, "assets", "frappe", "dist", "js", "*.js"))


def desk_sources() -> list[str]:
	"""Frappe's desk sources, and the scripts of its pages (the print page among them)."""
	frappe_path = frappe.get_app_path("frappe")
	return [
		*glob.glob(os.path.join(frappe_path, "public", "js", "**", "*.js"), recursive=True),
		*glob.glob(os.path.join(frappe_path, "public", "js", "**", "*.vue"), recursive=True),
		*glob.glob(os.path.join(frappe_path, "**", "page", "*", "*.js"), recursive=True),
	]


def names_in_scripts(paths: list[str]) -> set[str]:
	names = set()
	for path in paths:
		with open(path, encoding="utf-8", errors="replace") as script:
			text = script.read()
		names |= set(DOTTED_METHOD.findall(text)) | set(API_ADDRESS.findall(text))
		names |= {name for name in BARE_METHOD.findall(text) if name in HANDLER_METHODS}
	return names


def is_engine_method(name: str) -> bool:
	"""A whitelisted method of the engine (or one frappe.handler runs by its bare name)."""
	if name in HANDLER_METHODS:
		return True
	module, _, attribute = name.rpartition(".")
	try:
		function = getattr(importlib.import_module(module), attribute)
	except (ImportError, AttributeError, ValueError):
		return False  # a namespace of the desk's JavaScript, such as frappe.ui.form
	if type(function) not in (FunctionType, MethodType):
		return False  # such as frappe.form_dict, a proxy of the request
	return getattr(function, "__func__", function) in frappe.whitelisted


class TestDeskMethodsAreClassified(FrappeTestCase):
	"""Every whitelisted method of the engine that the desk calls is in the guard's table, allowed (with
	the permission checked on the record it names) or refused with a reason: a method the table forgot
	would be refused for every user but Administrator, a desk feature broken for them."""

	def test_every_whitelisted_method_the_desk_calls_is_classified(self):
		bundles = desk_bundles()
		self.assertTrue(bundles, "the desk's bundles are not built (bench build)")
		called = {name for name in names_in_scripts(bundles + desk_sources()) if is_engine_method(name)}
		self.assertGreater(len(called), 150)
		self.assertIn("frappe.desk.search.get_link_title", called)
		self.assertIn("upload_file", called)
		self.assertEqual(
			sorted(called - set(engine_guards.ENGINE_METHODS)), [], "desk methods not classified"
		)

	def test_every_classified_method_is_a_method_of_the_engine(self):
		for name in engine_guards.ENGINE_METHODS:
			self.assertTrue(is_engine_method(name), name)

	def test_the_desk_features_of_the_issue_are_allowed(self):
		for name in (
			"frappe.desk.search.get_link_title",
			"frappe.desk.form.utils.get_next",
			"frappe.desk.form.document_follow.follow_document",
			"frappe.desk.form.document_follow.unfollow_document",
			"frappe.desk.form.linked_with.get",
			"frappe.client.get_doc_permissions",
			"upload_file",
		):
			self.assertIn(name, engine_guards.ENGINE_METHODS_FOR_APP_DOCTYPES)


class TestDeskMethodsOnRecordsOfTheApp(FrappeTestCase):
	"""The guard lets the desk's methods act on records of the user's grids only."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.worker_a = make_user("desk-methods-worker-a@example.com", ["Grid Worker"]).name
		cls.worker_b = make_user("desk-methods-worker-b@example.com", ["Grid Worker"]).name
		_, grid_a, _ = make_community_tree(workers=[cls.worker_a])
		_, grid_b, _ = make_community_tree(workers=[cls.worker_b])
		cls.household_a = make_household(grid_a.name)
		cls.household_b = make_household(grid_b.name)

	def tearDown(self):
		frappe.set_user("Administrator")

	def guard(self, called, **form):
		engine_guards.refuse_unguarded_engine_methods(
			frappe._dict(form), engine_guards.RequestedCall(method=called), form.get("doctype"), []
		)

	def test_a_refused_or_unknown_method_is_refused_for_the_apps_doctypes(self):
		frappe.set_user(self.worker_a)
		for method in ("frappe.share.add", "frappe.desk.doctype.tag.tag.get_tagged_docs"):
			with self.assertRaises(frappe.PermissionError, msg=method):
				self.guard(method, doctype="Household", name=self.household_a.name)

	def test_the_next_record_is_asked_from_a_record_the_user_reads(self):
		frappe.set_user(self.worker_a)
		get_next = "frappe.desk.form.utils.get_next"
		self.guard(get_next, doctype="Household", value=self.household_a.name, prev=0)
		with self.assertRaises(frappe.PermissionError):
			self.guard(get_next, doctype="Household", value=self.household_b.name, prev=0)

	def test_a_user_follows_only_for_themselves_a_record_they_read(self):
		frappe.set_user(self.worker_a)
		follow = "frappe.desk.form.document_follow.follow_document"
		self.guard(follow, doctype="Household", doc_name=self.household_a.name, user=self.worker_a)
		with self.assertRaises(frappe.PermissionError):
			self.guard(follow, doctype="Household", doc_name=self.household_b.name, user=self.worker_a)
		with self.assertRaises(frappe.PermissionError):
			self.guard(follow, doctype="Household", doc_name=self.household_a.name, user=self.worker_b)

	def test_each_record_of_a_bulk_action_is_checked(self):
		frappe.set_user(self.worker_a)
		add_tags = "frappe.desk.doctype.tag.tag.add_tags"
		self.guard(add_tags, dt="Household", docs=json.dumps([self.household_a.name]), tags='["回访"]')
		with self.assertRaises(frappe.PermissionError):
			self.guard(
				add_tags,
				dt="Household",
				docs=json.dumps([self.household_a.name, self.household_b.name]),
				tags='["回访"]',
			)

	def test_a_method_run_by_name_is_one_of_the_apps(self):
		frappe.set_user(self.worker_a)
		with self.assertRaises(frappe.PermissionError):
			self.guard(
				"frappe.model.mapper.make_mapped_doc",
				method="frappe.client.get_list",
				source_name="Household",
			)
		with self.assertRaises(frappe.PermissionError):
			self.guard(
				"upload_file",
				doctype="Household",
				docname=self.household_a.name,
				method="frappe.desk.reportview.get",
			)
		self.guard(
			"frappe.desk.treeview.get_all_nodes",
			doctype="Grid",
			tree_method="wangge_app.grid.doctype.grid.grid.get_children",
		)

	def test_a_link_shows_the_title_of_a_record_the_user_reads_only(self):
		frappe.set_user(self.worker_a)
		self.assertEqual(
			engine_guards.get_link_title("Household", self.household_a.name), self.household_a.address
		)
		self.assertEqual(
			engine_guards.get_link_title("Household", self.household_b.name), self.household_b.name
		)
		self.assertEqual(engine_guards.get_link_title("Household", "HH-NOT-THERE"), "HH-NOT-THERE")


class TestFilesOfRecordsNotYetSaved(FrappeTestCase):
	"""A photo taken while a new hazard is filled in: the desk uploads it for the form's temporary name."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.worker_a = make_user("unsaved-files-worker-a@example.com", ["Grid Worker"]).name
		cls.worker_b = make_user("unsaved-files-worker-b@example.com", ["Grid Worker"]).name
		cls.district = make_user("unsaved-files-district@example.com", ["District Manager"]).name
		_, grid_a, _ = make_community_tree(workers=[cls.worker_a])
		make_community_tree(workers=[cls.worker_b])
		cls.household_a = make_household(grid_a.name).name

	def tearDown(self):
		frappe.set_user("Administrator")

	def upload(self, attached_to_name: str, is_private: int = 1):
		return frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"{frappe.generate_hash(length=8)}.png",
				# Bytes of its own: Frappe stores identical private bytes once, under one address.
				"content": PIXEL + frappe.generate_hash().encode(),
				"is_private": is_private,
				"attached_to_doctype": "Safety Hazard",
				"attached_to_name": attached_to_name,
				"attached_to_field": "photo",
			}
		).insert()

	def test_a_photo_is_linked_to_the_record_when_it_is_saved(self):
		temporary_name = f"new-safety-hazard-{frappe.generate_hash(length=10)}"
		frappe.set_user(self.worker_a)
		photo = self.upload(temporary_name)
		self.assertEqual(photo.attached_to_name, temporary_name)
		self.assertTrue(photo.has_permission("read"))
		frappe.set_user(self.worker_b)
		self.assertFalse(frappe.get_doc("File", photo.name).has_permission("read"))
		frappe.set_user(self.worker_a)
		hazard = new_hazard_form(temporary_name, self.household_a, photo.file_url)
		savedocs(json.dumps(hazard), "Save")
		saved = frappe.get_last_doc("Safety Hazard", filters={"household": self.household_a})
		self.assertEqual(saved.photos[0].photo, photo.file_url)
		stored = frappe.get_doc("File", photo.name)
		self.assertEqual((stored.attached_to_doctype, stored.attached_to_name), ("Safety Hazard", saved.name))
		self.assertTrue(stored.is_private)
		self.assertTrue(stored.has_permission("read"))
		frappe.set_user(self.worker_b)
		self.assertFalse(frappe.get_doc("File", photo.name).has_permission("read"))

	def test_a_photo_for_a_record_not_yet_saved_is_private(self):
		frappe.set_user(self.worker_a)
		with self.assertRaises(frappe.ValidationError):
			self.upload(f"new-safety-hazard-{frappe.generate_hash(length=10)}", is_private=0)

	def test_only_who_may_create_the_record_attaches_to_a_new_one(self):
		frappe.set_user(self.district)
		with self.assertRaises(frappe.PermissionError):
			self.upload(f"new-safety-hazard-{frappe.generate_hash(length=10)}")

	def test_a_name_that_is_not_the_forms_temporary_name_must_be_a_stored_record(self):
		frappe.set_user(self.worker_a)
		with self.assertRaises(frappe.PermissionError):
			self.upload("隐患-2099-99999")

	def test_a_photo_field_names_only_a_file_the_user_may_read(self):
		"""Saving attaches a file attached nowhere to the record whose field names it (Frappe's
		attach_files_to_document): another user's private upload would be read through the record."""
		frappe.set_user(self.worker_b)
		upload = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"{frappe.generate_hash(length=8)}.png",
				"content": PIXEL + frappe.generate_hash().encode(),  # bytes no one else has
				"is_private": 1,
			}
		).insert()
		frappe.set_user(self.worker_a)
		hazard = frappe.get_doc(
			{
				"doctype": "Safety Hazard",
				"hazard_title": "楼道堆放杂物",
				"category": "Fire",
				"risk_level": "General",
				"place_kind": "Household",
				"household": self.household_a,
				"description": "楼道堆放纸箱，堵塞通道。",
				"photos": [{"photo": upload.file_url}],
			}
		)
		with self.assertRaises(frappe.PermissionError):
			hazard.insert()
		self.assertIsNone(frappe.db.get_value("File", upload.name, "attached_to_name"))
		hazard.photos[0].photo = self.upload(f"new-safety-hazard-{frappe.generate_hash(length=10)}").file_url
		hazard.insert()


class TestChildTablesReadOnTheirOwn(FrappeTestCase):
	"""A child table read on its own takes the permission levels of its record, named in the request;
	a DocType that does not hold the table does not lend it its levels."""

	def test_the_parent_named_must_hold_the_table(self):
		from wangge_app.engine_guards import table_parent

		self.assertEqual(table_parent("Dispute Case Party", "Dispute Case"), "Dispute Case")
		for parent in ("Resident", "Household", "No Such DocType", None, ["Dispute Case"]):
			self.assertIsNone(table_parent("Dispute Case Party", parent), parent)
		self.assertIsNone(table_parent("Dispute Case", "Dispute Case"))
