# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import json
import re
from pathlib import Path

import frappe
from frappe.tests.utils import FrappeTestCase


def texts_users_read() -> set[str]:
	"""Every name, label, option, description, role, workflow state and action of the app."""
	modules = frappe.get_module_list("wangge_app")
	texts = set(modules)
	for doctype in frappe.get_all("DocType", {"module": ("in", modules)}, pluck="name"):
		texts.add(doctype)
		for field in frappe.get_meta(doctype).fields:
			texts.update(filter(None, (field.label, field.description)))
			if field.fieldtype == "Select":
				# Values written in Chinese (ethnic groups) need no translation.
				texts.update(option for option in (field.options or "").split("\n") if option.isascii())
		for workflow in frappe.get_all("Workflow", {"document_type": doctype}, pluck="name"):
			workflow = frappe.get_doc("Workflow", workflow)
			texts.update(row.state for row in workflow.states)
			texts.update(row.action for row in workflow.transitions)
	for doctype in ("Report", "Print Format", "Number Card", "Workspace"):
		texts.update(frappe.get_all(doctype, {"module": ("in", modules)}, pluck="name"))
	roles = json.load(open(frappe.get_app_path("wangge_app", "fixtures", "role.json")))
	texts.update(role["name"] for role in roles)
	texts.discard("")
	return texts


# _("…") in Python and __("…") in JavaScript, with a literal first argument.
MESSAGE = re.compile(r"""(?<![\w.])_{1,2}\(\s*(["'])((?:\\.|(?!\1).)+)\1""")


def messages_in_source() -> set[str]:
	app = Path(frappe.get_app_path("wangge_app"))
	messages = set()
	for path in [*app.rglob("*.py"), *app.rglob("*.js"), *app.rglob("*.html")]:
		if path.name.startswith("test_"):
			continue
		for match in MESSAGE.finditer(path.read_text(encoding="utf-8")):
			messages.add(
				match.group(2).encode().decode("unicode_escape") if "\\" in match.group(2) else match.group(2)
			)
	return messages


class TestTranslations(FrappeTestCase):
	def test_everything_users_read_has_a_chinese_translation(self):
		untranslated = sorted(text for text in texts_users_read() if frappe._(text, lang="zh") == text)
		self.assertEqual(untranslated, [])

	def test_every_message_has_a_chinese_translation(self):
		messages = messages_in_source()
		self.assertGreater(len(messages), 100)
		untranslated = sorted(text for text in messages if frappe._(text, lang="zh") == text)
		self.assertEqual(untranslated, [])
