# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The engine's names that the guards keep by hand, checked against the running engine.

`engine_guards.ENGINE_METHODS` (the allowlist, its write subset and the argument names each entry
reads), the overrides in hooks.py (`override_whitelisted_methods`) and the table of guarded paths in
SECURITY.md all name Frappe's whitelisted methods. An engine update that renames a method or one of
its parameters would leave a guard reading a name nothing uses any more: `unknown_engine_names` lists
every such name, and `wangge_app/tests/test_engine_guards.py` fails while it lists any.
"""

import inspect
import re
from pathlib import Path

import frappe

# Methods the engine runs by a bare name (frappe.handler's own, not a dotted path).
HANDLER_METHODS = {
	"upload_file": "frappe.handler.upload_file",
	"run_doc_method": "frappe.handler.run_doc_method",
}
SECURITY_MD = Path(__file__).resolve().parent.parent / "SECURITY.md"
# The table of SECURITY.md that names the guarded paths: its header row.
GUARDED_PATHS_HEADER = "| Path | Problem | Guard |"
CODE = re.compile(r"`([^`]+)`")
DOTTED_NAME = re.compile(r"\w+(?:\.\w+)*")
OVERRIDDEN_IN_HOOKS = "override_whitelisted_methods"


def engine_function(name: str):
	"""The engine's function of a whitelisted method name; None when the engine has none."""
	try:
		return frappe.get_attr(HANDLER_METHODS.get(name, name))
	except (AttributeError, ImportError, ValueError, frappe.AppNotInstalledError):
		return None


def is_whitelisted(function) -> bool:
	return getattr(function, "__func__", function) in frappe.whitelisted


def parameters(function) -> set[str]:
	return set(inspect.signature(inspect.unwrap(function)).parameters)


def takes_any_argument(function) -> bool:
	return any(
		p.kind is p.VAR_KEYWORD for p in inspect.signature(inspect.unwrap(function)).parameters.values()
	)


def reads_request_form(function) -> bool:
	"""A method that reads the request's form_dict (no parameters, or `args` alone) or any keyword: the
	guard's argument names cannot be matched against its signature."""
	return parameters(function) <= {"args"} or takes_any_argument(function)


def guarded_paths_table(text: str) -> list[dict[str, str]]:
	"""The rows of SECURITY.md's table of guarded paths, as {"path", "problem", "guard"}."""
	lines = text.splitlines()
	try:
		start = lines.index(GUARDED_PATHS_HEADER)
	except ValueError:
		return []
	rows = []
	for line in lines[start + 2 :]:
		if not line.startswith("|"):
			break
		# Cells split on " | " (a bar inside a cell, such as `|e`, has no space on both sides).
		cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
		if len(cells) == 3:
			rows.append(dict(zip(("path", "problem", "guard"), cells, strict=True)))
	return rows


def methods_named(cell: str, known: set[str]) -> tuple[list[str], list[str]]:
	"""The engine methods a table cell names in backticks (dotted names from `frappe.`, or a bare name
	frappe.handler runs), and the names written short (`search_link`, `frappe.workflow…state_count`)
	that must be written in full to be checked."""
	methods, short = [], []
	for code in CODE.findall(cell):
		if code in HANDLER_METHODS or (code.startswith("frappe.") and DOTTED_NAME.fullmatch(code)):
			methods.append(code)
		elif code.startswith("frappe") and "…" in code:
			short.append(code)
		elif DOTTED_NAME.fullmatch(code) and any(name.endswith("." + code) for name in known):
			short.append(code)
	return methods, short


def unknown_engine_names(
	engine_methods: dict | None = None,
	overrides: dict[str, str] | None = None,
	security_md: str | None = None,
) -> list[str]:
	"""What the guards name that the running engine does not have, one line each (empty when all match).

	Every method of `engine_methods` (default `engine_guards.ENGINE_METHODS`) is a whitelisted function
	of the engine that takes each argument its entry reads (doctype, record, records, own_user, runs).
	Every key of `overrides` (default: hooks.py's `override_whitelisted_methods`) is a whitelisted method
	of the engine, allowed in `engine_methods`, and the app's override is whitelisted and takes the
	engine method's parameters. Every method named in the Path column of SECURITY.md's table of guarded
	paths (default: the file) is in `engine_methods`, those guarded by an override are overrides, and
	every override is in the table."""
	from wangge_app import engine_guards

	if engine_methods is None:
		engine_methods = engine_guards.ENGINE_METHODS
	if overrides is None:
		overrides = {
			name: paths[-1]
			for name, paths in frappe.get_hooks(OVERRIDDEN_IN_HOOKS, app_name="wangge_app").items()
		}
	if security_md is None:
		security_md = SECURITY_MD.read_text(encoding="utf-8")
	problems = []

	for name, entry in engine_methods.items():
		function = engine_function(name)
		if function is None:
			problems.append(f"ENGINE_METHODS: the engine has no method {name}")
			continue
		# frappe.handler runs its own by their bare name, whitelisted or not (run_doc_method is not).
		if name not in HANDLER_METHODS and not is_whitelisted(function):
			problems.append(f"ENGINE_METHODS: {name} is not a whitelisted method of the engine")
		if reads_request_form(function):
			continue
		taken = parameters(function)
		for kind in ("doctype", "record", "records", "own_user", "runs"):
			argument = getattr(entry, kind)
			if argument and argument not in taken:
				problems.append(f"ENGINE_METHODS: {name} takes no argument {argument} ({kind})")

	for name, override_path in overrides.items():
		engine = engine_function(name)
		if engine is None:
			problems.append(f"{OVERRIDDEN_IN_HOOKS}: the engine has no method {name}")
			continue
		entry = engine_methods.get(name)
		if not entry or not entry.allowed:
			problems.append(f"{OVERRIDDEN_IN_HOOKS}: {name} is not allowed in ENGINE_METHODS")
		override = engine_function(override_path)
		if override is None or not is_whitelisted(override):
			problems.append(f"{OVERRIDDEN_IN_HOOKS}: {override_path} is not a whitelisted method of the app")
		elif not takes_any_argument(override):
			for missing in sorted(parameters(engine) - parameters(override)):
				problems.append(
					f"{OVERRIDDEN_IN_HOOKS}: {override_path} lacks the parameter {missing} of {name}"
				)

	rows = guarded_paths_table(security_md)
	if not rows:
		problems.append(f"SECURITY.md: no table headed {GUARDED_PATHS_HEADER}")
	in_table = set()
	for row in rows:
		methods, short = methods_named(row["path"], set(engine_methods) | set(overrides))
		problems += [f"SECURITY.md: write {code} in full, as the engine names it" for code in short]
		for name in methods:
			in_table.add(name)
			if name not in engine_methods:
				problems.append(f"SECURITY.md: {name} is not in ENGINE_METHODS")
			if OVERRIDDEN_IN_HOOKS in row["guard"] and name not in overrides:
				problems.append(f"SECURITY.md: {name} is not overridden in hooks.py")
	for name in sorted(set(overrides) - in_table):
		problems.append(f"SECURITY.md: the override of {name} is not in the table of guarded paths")
	return problems
