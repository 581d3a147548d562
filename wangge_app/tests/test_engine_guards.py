# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The guards of `wangge_app.engine_guards` name the engine's routes and methods: each name must be one
the running engine has, with the parameters the guard reads, so that an engine update that renames or
adds one fails here instead of opening a path past the permission layer."""

import inspect

import frappe
from frappe.api import API_URL_MAP
from frappe.tests.utils import FrappeTestCase

from wangge_app import engine_guards
from wangge_app.mediation.doctype.dispute_case.test_dispute_case import make_dispute_case
from wangge_app.permissions import has_record_permission
from wangge_app.test_utils import make_community_tree, make_household, make_resident, make_user

# Methods the engine runs by a bare name (frappe.handler's own, not a dotted path).
HANDLER_METHODS = {
	"upload_file": "frappe.handler.upload_file",
	"run_doc_method": "frappe.handler.run_doc_method",
}


def engine_method(name: str):
	return frappe.get_attr(HANDLER_METHODS.get(name, name))


def parameters(function) -> set[str]:
	return set(inspect.signature(inspect.unwrap(function)).parameters)


def takes_any_argument(function) -> bool:
	return any(
		p.kind is p.VAR_KEYWORD for p in inspect.signature(inspect.unwrap(function)).parameters.values()
	)


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

	def test_every_allowed_method_is_a_whitelisted_method_of_the_engine(self):
		for name in engine_guards.ENGINE_METHODS_FOR_APP_DOCTYPES | engine_guards.RECORD_WRITING_METHODS:
			method = engine_method(name)
			self.assertIn(getattr(method, "__func__", method), frappe.whitelisted, name)

	def test_record_writing_methods_name_their_record_as_the_guard_reads_it(self):
		for name in engine_guards.RECORD_WRITING_METHODS:
			taken = parameters(engine_method(name))
			if not taken:
				continue  # it reads the request's form_dict, where the guard reads too
			self.assertTrue(taken & set(engine_guards.DOCTYPE_ARGUMENTS), name)
			self.assertTrue(taken & set(engine_guards.NAME_ARGUMENTS), name)

	def test_every_override_takes_what_the_engine_method_takes(self):
		for name, overrides in frappe.get_hooks(
			"override_whitelisted_methods", app_name="wangge_app"
		).items():
			engine = engine_method(name)
			override = frappe.get_attr(overrides[-1])
			self.assertIn(getattr(override, "__func__", override), frappe.whitelisted, overrides[-1])
			if not takes_any_argument(override):
				missing = parameters(engine) - parameters(override)
				self.assertEqual(missing, set(), f"{overrides[-1]} lacks parameters of {name}")


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
