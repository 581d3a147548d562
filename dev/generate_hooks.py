# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Writes the app's generated declarations, checked in beside the code they declare:

- `wangge_app/declared_hooks.py`: the literal `permission_query_conditions`, `has_permission`,
  `doc_events` and `doctype_js` that `hooks.py` imports, one entry per line, sorted;
- `wangge_app/permission_queries.py`: one named `<doctype>_query_conditions` function per DocType of
  the app (Frappe 15.0 calls a permission query with the user alone, so each DocType has its own).

They follow from the DocTypes on disk and from `wangge_app/scopes.py` (SCOPES, HISTORY),
`wangge_app/utils/due_times.py` (DUE_INPUTS); this file says which handler runs where, and why.
Run it after adding or renaming a DocType, or changing one of those declarations:

    dev/bench/env/bin/python dev/generate_hooks.py

`wangge_app/tests/test_declared_hooks.py` fails while the checked-in files differ from what it writes.
"""

import json
from pathlib import Path

from wangge_app.scopes import HISTORY, SCOPES, doctypes_on_disk, history_parents, query_conditions_hook_name

APP_ROOT = Path(__file__).resolve().parent.parent
DECLARED_HOOKS = APP_ROOT / "wangge_app" / "declared_hooks.py"
PERMISSION_QUERIES = APP_ROOT / "wangge_app" / "permission_queries.py"
REGENERATE = "dev/bench/env/bin/python dev/generate_hooks.py"

PERMISSIONS = "wangge_app.permissions"
NAMING = "wangge_app.naming"
HISTORY_MODULE = "wangge_app.history"
ENGINE_GUARDS = "wangge_app.engine_guards"

# Frappe's own DocTypes, each with what the app adds to it.
FRAPPE_DOCTYPE_EVENTS = {
	# An e-mail's print attachment is rendered as its sender when queued, not later by the worker as
	# Administrator (permissions.py render_print_attachments_as_sender).
	"Email Queue": {"before_insert": [f"{PERMISSIONS}.render_print_attachments_as_sender"]},
	# Attaching a file to a record is writing to it.
	"File": {"before_insert": [f"{ENGINE_GUARDS}.check_attachment_target"]},
	# A custom report's columns from linked records are read past the permission layer.
	"Report": {"validate": [f"{ENGINE_GUARDS}.check_saved_report_columns"]},
	# A follow digest mails every change: only for followers who read all of the record.
	"Document Follow": {"after_insert": [f"{PERMISSIONS}.keep_follows_to_what_the_follower_reads"]},
	# A Community Manager changes the app's workflows only.
	"Workflow": {"validate": ["wangge_app.workflows.check_workflow_editor"]},
}

# Frappe's own forms that a Community Manager uses, in the user's language: Customize Form's property
# descriptions (public/js/customize_form.js) and the Workflow form's list button (workflow_form.js).
FRAPPE_DOCTYPE_SCRIPTS = {
	"Customize Form": "public/js/customize_form.js",
	"Workflow": "public/js/workflow_form.js",
}


def due_inputs() -> list[str]:
	"""The DocTypes whose time limits change only through the manager's action (imported here, as it
	needs Frappe, which the rest does not)."""
	from wangge_app.utils.due_times import DUE_INPUTS

	return sorted(DUE_INPUTS)


def record_events(doctype: str, has_history: bool, has_due_inputs: bool) -> dict[str, list[str]]:
	"""The handlers of a DocType of the app (not a child table), in the order they run."""
	scope = SCOPES.get(doctype)
	of_a_community = bool(scope and scope.community_field)
	events: dict[str, list[str]] = {}
	if of_a_community:
		# A record of a community named by its own words is named within its community.
		events["autoname"] = [f"{NAMING}.name_within_community"]
	# Before the controller's validate: the record takes its community, then every link the user set is
	# checked against the user's scope, so that the controller reads nothing from outside it; history
	# rows are checked before the controller reads the server's stamps on new rows; the time limits'
	# inputs stay as registered.
	events["before_validate"] = [
		*([f"{NAMING}.set_community"] if of_a_community else []),
		f"{PERMISSIONS}.validate_links_in_scope",
		*([f"{HISTORY_MODULE}.keep_history"] if has_history else []),
		*(["wangge_app.utils.due_times.keep_due_inputs"] if has_due_inputs else []),
	]
	# After it: what the controller set itself (a case's grid from its households) is checked, the links
	# only where it changed them; a community's records link only inside it; history rows once more.
	events["validate"] = [
		f"{PERMISSIONS}.validate_links_set_in_validate",
		*([f"{PERMISSIONS}.validate_within_community"] if of_a_community else []),
		*([f"{HISTORY_MODULE}.keep_history"] if has_history else []),
	]
	# Photos taken while a new record is filled in are attached to it when it is first saved; a photo field
	# names only a file the user may read.
	events["after_insert"] = [f"{ENGINE_GUARDS}.link_files_of_new_record"]
	events["before_save"] = [f"{ENGINE_GUARDS}.check_attached_files_readable"]
	# A deleted record's number is not given to the next record.
	events["after_delete"] = [f"{NAMING}.keep_number_taken"]
	# Every print shows a record as REST does: fields the user cannot read are left out.
	events["before_print"] = [f"{PERMISSIONS}.hide_unreadable_fields"]
	return events


def declared_hooks() -> dict[str, dict]:
	"""The hooks, as hooks.py declares them."""
	app_doctypes = doctypes_on_disk()
	parents_with_history = history_parents()
	with_due_inputs = due_inputs()

	permission_query_conditions = {
		doctype: f"wangge_app.permission_queries.{query_conditions_hook_name(doctype)}"
		for doctype in app_doctypes
	}
	# Frappe's open workflow actions follow the records they are about; a merchant's website user lists
	# no other users.
	permission_query_conditions["Workflow Action"] = f"{PERMISSIONS}.workflow_action_query_conditions"
	permission_query_conditions["User"] = f"{PERMISSIONS}.user_query_conditions"

	# Child tables included: their rows are checked against their parent record (also in their
	# controllers, `permissions.RowOfRecord`, where Frappe calls no hook).
	has_permission = dict.fromkeys(app_doctypes, f"{PERMISSIONS}.has_permission")
	has_permission["Workflow Action"] = f"{PERMISSIONS}.workflow_action_has_permission"

	doc_events: dict[str, dict[str, list[str]]] = {
		doctype: record_events(doctype, doctype in parents_with_history, doctype in with_due_inputs)
		for doctype, definition in app_doctypes.items()
		if not definition["istable"]
	}
	# A history row is not deleted on its own either.
	for child in HISTORY:
		doc_events[child] = {"on_trash": [f"{HISTORY_MODULE}.refuse_row_deletion"]}
	for doctype, events in FRAPPE_DOCTYPE_EVENTS.items():
		assert doctype not in doc_events, doctype
		doc_events[doctype] = events
	# One handler is written as a string, several as the list of them in the order they run.
	doc_events = {
		doctype: {
			event: handlers[0] if len(handlers) == 1 else handlers for event, handlers in events.items()
		}
		for doctype, events in doc_events.items()
	}

	# The desk form shows both rules (recorded rows read-only, the time limit's change action).
	doctype_js = dict.fromkeys({*parents_with_history, *with_due_inputs}, "public/js/records_kept.js")
	for doctype, script in FRAPPE_DOCTYPE_SCRIPTS.items():
		assert doctype not in doctype_js, doctype
		doctype_js[doctype] = script
	return {
		"permission_query_conditions": permission_query_conditions,
		"has_permission": has_permission,
		"doc_events": doc_events,
		"doctype_js": doctype_js,
	}


def literal(value, depth: int = 0) -> str:
	"""`value` as Python source in the form `ruff format` keeps: every dict and list one entry per line
	(with a trailing comma); dict keys sorted, lists in their order (the order handlers run in)."""
	if isinstance(value, str):
		return json.dumps(value, ensure_ascii=False)
	indent = "\t" * (depth + 1)
	if isinstance(value, dict):
		lines = [f"{indent}{literal(key)}: {literal(value[key], depth + 1)}," for key in sorted(value)]
		return "{\n" + "\n".join(lines) + "\n" + "\t" * depth + "}"
	if isinstance(value, list):
		lines = [f"{indent}{literal(item, depth + 1)}," for item in value]
		return "[\n" + "\n".join(lines) + "\n" + "\t" * depth + "]"
	raise TypeError(f"not a literal of the hooks: {value!r}")


HEADER = f"""# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

# Generated by dev/generate_hooks.py: do not edit. After adding or renaming a DocType, or changing
# wangge_app/scopes.py or DUE_INPUTS, run `{REGENERATE}`.
"""


def declared_hooks_source() -> str:
	hooks = declared_hooks()
	parts = [
		HEADER,
		'"""The hooks that follow from the DocTypes of the app and their declarations (wangge_app/scopes.py),\n'
		"as literals that hooks.py imports: which handler runs for which DocType and event is read here,\n"
		'and why in dev/generate_hooks.py."""\n',
	]
	for name in ("permission_query_conditions", "has_permission", "doc_events", "doctype_js"):
		parts.append(f"{name} = {literal(hooks[name])}\n")
	return "\n".join(parts)


def permission_queries_source() -> str:
	parts = [
		HEADER,
		'"""The permission_query_conditions hook of each DocType of the app, by name (declared_hooks.py):\n'
		"Frappe 15.0 calls these hooks with the user alone, so each DocType has its own. Every one keeps the\n"
		'query inside the user\'s scope (`permissions.scope_conditions`)."""\n',
		"from wangge_app.permissions import scope_conditions\n",
	]
	for doctype in sorted(doctypes_on_disk(), key=query_conditions_hook_name):
		parts.append(
			f"\ndef {query_conditions_hook_name(doctype)}(user=None, doctype=None) -> str:\n"
			f"\treturn scope_conditions({literal(doctype)}, user)\n"
		)
	return "\n".join(parts)


def generated_files() -> dict[Path, str]:
	return {DECLARED_HOOKS: declared_hooks_source(), PERMISSION_QUERIES: permission_queries_source()}


def main() -> None:
	for path, source in generated_files().items():
		if not path.exists() or path.read_text(encoding="utf-8") != source:
			path.write_text(source, encoding="utf-8")
			print(f"wrote {path.relative_to(APP_ROOT)}")


if __name__ == "__main__":
	main()
