# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""hooks.py reads as declarations: the hooks that follow from the DocTypes are literals in the generated
`declared_hooks.py`, which must be what `dev/generate_hooks.py` writes today; each doc_event handler is
registered once; each DocType's permission query is a function of its own name."""

import ast
import importlib.util
import json
from pathlib import Path

import frappe
from frappe.tests.utils import FrappeTestCase

import wangge_app
from wangge_app import declared_hooks, permission_queries, permissions, roles
from wangge_app.scopes import SCOPES, doctypes_on_disk, query_conditions_hook_name
from wangge_app.test_utils import make_user

APP_ROOT = Path(wangge_app.__file__).resolve().parent.parent
GENERATOR = APP_ROOT / "dev" / "generate_hooks.py"


def load_generator():
	spec = importlib.util.spec_from_file_location("generate_hooks", GENERATOR)
	module = importlib.util.module_from_spec(spec)
	spec.loader.exec_module(module)
	return module


def handler_lists(doc_events: dict):
	"""(DocType, event, [handler, …]) for every entry, a single handler as a list of one."""
	for doctype, events in doc_events.items():
		for event, handlers in events.items():
			yield doctype, event, [handlers] if isinstance(handlers, str) else list(handlers)


class TestDeclaredHooks(FrappeTestCase):
	def test_the_checked_in_declarations_are_what_the_generator_writes(self):
		generator = load_generator()
		for path, source in generator.generated_files().items():
			with self.subTest(path=path.name):
				self.assertTrue(
					path.read_text(encoding="utf-8") == source,
					f"{path.relative_to(APP_ROOT)} is out of date: run `{generator.REGENERATE}` "
					"(from the app's directory) and check the file in",
				)

	def test_hooks_py_builds_nothing(self):
		"""No loop or comprehension, and no hook changed after it is declared: every hook is a literal, or
		a name imported from one (what follows from the DocTypes goes into dev/generate_hooks.py)."""
		tree = ast.parse((APP_ROOT / "wangge_app" / "hooks.py").read_text(encoding="utf-8"))
		builders = (
			ast.For,
			ast.While,
			ast.ListComp,
			ast.DictComp,
			ast.SetComp,
			ast.GeneratorExp,
			ast.AugAssign,
		)
		found = [type(node).__name__ for node in ast.walk(tree) if isinstance(node, builders)]
		found += [
			f"{ast.unparse(target)} = …"
			for node in ast.walk(tree)
			if isinstance(node, ast.Assign)
			for target in node.targets
			if not isinstance(target, ast.Name)
		]
		self.assertEqual(found, [])
		hooks = frappe.get_hooks(app_name="wangge_app")
		for name in ("permission_query_conditions", "has_permission", "doc_events", "doctype_js"):
			self.assertTrue(hooks.get(name), name)

	def test_each_handler_is_registered_once_per_doctype_and_event(self):
		for source, doc_events in (
			("declared_hooks.py", declared_hooks.doc_events),
			("the app's hooks", frappe.get_hooks("doc_events", app_name="wangge_app")),
		):
			for doctype, event, handlers in handler_lists(doc_events):
				with self.subTest(source=source, doctype=doctype, event=event):
					self.assertEqual(
						sorted({h for h in handlers if handlers.count(h) > 1}), [], "registered twice"
					)

	def test_the_link_scope_check_runs_once_before_and_once_after_the_controller(self):
		events = frappe.get_hooks("doc_events", app_name="wangge_app")
		for doctype, definition in doctypes_on_disk().items():
			if definition["istable"]:
				continue
			with self.subTest(doctype=doctype):
				self.assertEqual(
					events[doctype]["before_validate"].count(
						"wangge_app.permissions.validate_links_in_scope"
					),
					1,
				)
				self.assertNotIn(
					"wangge_app.permissions.validate_links_in_scope", events[doctype]["validate"]
				)
				self.assertEqual(
					events[doctype]["validate"].count(
						"wangge_app.permissions.validate_links_set_in_validate"
					),
					1,
				)

	def test_each_doctype_has_a_permission_query_of_its_own_name(self):
		self.assertFalse(hasattr(permissions, "__getattr__"), "no permission query made up on demand")
		hooks = frappe.get_hooks("permission_query_conditions", app_name="wangge_app")
		worker = make_user("declared-hooks-worker@example.com", ["Grid Worker"]).name
		for doctype in doctypes_on_disk():
			name = query_conditions_hook_name(doctype)
			with self.subTest(doctype=doctype):
				function = getattr(permission_queries, name, None)
				self.assertIsNotNone(function, f"permission_queries.{name}")
				self.assertEqual(
					(function.__module__, function.__name__), (permission_queries.__name__, name)
				)
				self.assertEqual(hooks[doctype], [f"wangge_app.permission_queries.{name}"])
				# Called as Frappe calls it, it answers the DocType's own conditions.
				self.assertEqual(
					frappe.call(frappe.get_attr(hooks[doctype][0]), worker, doctype=doctype),
					permissions.scope_conditions(doctype, worker),
				)
		# A grid worker with no grid sees none of a grid's records.
		self.assertEqual(permission_queries.dispute_case_query_conditions(worker), "1=0")
		self.assertTrue(SCOPES["Dispute Case"].grid_field)

	def test_the_roles_shipped_are_those_of_the_roles_module(self):
		fixture = json.loads((APP_ROOT / "wangge_app" / "fixtures" / "role.json").read_text(encoding="utf-8"))
		self.assertEqual(sorted(role["name"] for role in fixture), sorted(roles.APP_ROLES))
		(role_fixture,) = [
			f for f in frappe.get_hooks("fixtures", app_name="wangge_app") if f["dt"] == "Role"
		]
		self.assertEqual(role_fixture["filters"], [["name", "in", list(roles.APP_ROLES)]])
		for role in roles.APP_ROLES:
			self.assertTrue(frappe.db.exists("Role", role), role)
