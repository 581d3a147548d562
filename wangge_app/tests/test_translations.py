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


def frappe_source(*parts: str) -> Path:
	return Path(frappe.get_app_path("frappe", *parts))


def messages_of_frappe_files(*patterns: str) -> set[str]:
	"""What Frappe's desk files give `__()`, as Frappe's own extractor reads it (a template's
	one-line `__("…")` too)."""
	from frappe.gettext.extractors.utils import TRANSLATE_PATTERN, is_translatable
	from frappe.translate import extract_messages_from_javascript_code

	messages = set()
	for pattern in patterns:
		for path in frappe_source().glob(pattern):
			code = path.read_text(encoding="utf-8")
			messages.update(
				message for _line, message, _context in extract_messages_from_javascript_code(code)
			)
			messages.update(match.group("message") for match in TRANSLATE_PATTERN.finditer(code))
	return {message for message in messages if isinstance(message, str) and is_translatable(message)}


def labels_of(*doctypes: str) -> set[str]:
	"""The labels and select options the form builder's property panel shows."""
	texts = set()
	for doctype in doctypes:
		for field in frappe.get_meta(doctype).fields:
			texts.add(field.label)
			if field.fieldtype == "Select":
				texts.update((field.options or "").split("\n"))
	return {text for text in texts if text and any(char.isalpha() for char in text)}


# The English that issue 22 found on everyday screens, each as the desk's source string.
EVERYDAY_STRINGS = (
	# Workflow step log of a resident's request: stored values shown through the translations.
	"Received",
	"Acknowledged",
	"In the Grid",
	# Timeline of a record.
	"You changed the value of {0}",
	"{0} changed the value of {1}",
	"{0} from {1} to {2}",
	"Satisfied",
	"added rows for {0}",
	"You changed the values for {0}",
	"{0} from {1} to {2} in row #{3}",
	"This form is not editable due to a Workflow.",
	"The earliest time limit still open.",
	# The upload dialog.
	"Drag and drop files here or upload from",
	"My Device",
	"Library",
	"Set all private",
	"Set all public",
	# Lists.
	"No {0} found with matching filters. Clear filters to see all {0}.",
	"Filters {0}",
	"Clear all filters",
	# The login page (the app's name stands for "Frappe") and the web footer.
	"Login to {0}",
	"Login with Email Link",
	"Frappe",
	"Built on {0}",
)


# Names a Chinese screen writes as they are: the form builder's field types.
WRITTEN_AS_IN_ENGLISH = {"HTML", "JSON"}


class TestEverydayScreensInChinese(FrappeTestCase):
	"""Issue 22, items 4 and 5: the desk's own English and the app's mistranslations."""

	def setUp(self):
		self.lang = getattr(frappe.local, "lang", None)
		frappe.local.lang = "zh"

	def tearDown(self):
		frappe.local.lang = self.lang

	def assert_all_chinese(self, texts):
		untranslated = sorted(
			text for text in texts if frappe._(text) == text and text not in WRITTEN_AS_IN_ENGLISH
		)
		self.assertEqual(untranslated, [])

	def test_the_everyday_strings_have_a_chinese_translation(self):
		self.assert_all_chinese(EVERYDAY_STRINGS)
		self.assertEqual(frappe._("Frappe"), "网格化治理")
		self.assertEqual(frappe._("Login to {0}").format(frappe._("Frappe")), "登录网格化治理")
		self.assertEqual(
			frappe._("{0} from {1} to {2}").format("群众满意度", "", "满意"), "群众满意度 从  改为 满意"
		)

	def test_the_form_builder_the_upload_dialog_and_the_timeline_are_chinese(self):
		messages = messages_of_frappe_files(
			"public/js/form_builder/**/*.vue",
			"public/js/form_builder/**/*.js",
			"public/js/frappe/file_uploader/*.vue",
			"public/js/frappe/file_uploader/*.js",
			"public/js/frappe/form/footer/version_timeline_content_builder.js",
		)
		self.assertGreater(len(messages), 80)
		self.assert_all_chinese(messages)
		self.assert_all_chinese(labels_of("DocField", "Customize Form Field", "Customize Form"))

	def test_the_login_page_names_the_app(self):
		from wangge_app.install import APP_NAME, name_the_app

		for settings in ("Website Settings", "System Settings"):
			# Set on install (and by a patch on older sites): Frappe's default was "Frappe".
			self.assertEqual(frappe.db.get_single_value(settings, "app_name"), APP_NAME)
			frappe.db.set_single_value(settings, "app_name", "Frappe")
			name_the_app()
			self.assertEqual(frappe.db.get_single_value(settings, "app_name"), APP_NAME)
			# A name a site chose stays.
			frappe.db.set_single_value(settings, "app_name", "城关区网格化治理")
			name_the_app()
			self.assertEqual(frappe.db.get_single_value(settings, "app_name"), "城关区网格化治理")
			frappe.db.set_single_value(settings, "app_name", APP_NAME)
		# The website's footer says the app, not "Built on Frappe"; a footer a site wrote stays.
		self.assertEqual(frappe.db.get_single_value("Website Settings", "footer_powered"), APP_NAME)
		frappe.db.set_single_value("Website Settings", "footer_powered", "城关区委政法委")
		name_the_app()
		self.assertEqual(frappe.db.get_single_value("Website Settings", "footer_powered"), "城关区委政法委")
		frappe.db.set_single_value("Website Settings", "footer_powered", APP_NAME)

	def test_the_list_ages_are_minutes_days_and_weeks(self):
		self.assertEqual(frappe._("{0} m").format(30), "30 分钟")
		self.assertEqual(frappe._("{0} h").format(2), "2小时")
		self.assertEqual(frappe._("{0} d").format(1), "1 天")
		self.assertEqual(frappe._("{0} w").format(1), "1 周")
		self.assertEqual(frappe._("{0} M").format(2), "2 个月")

	def test_result_hazards_and_state_read_as_they_mean(self):
		# The desk translates a field's label with its DocType as context (grid columns included).
		self.assertEqual(frappe._("Result", context="Safety Inspection Item"), "结果")
		self.assertEqual(frappe._("Result", context="Safety Hazard Check"), "结果")
		self.assertEqual(frappe._("Result", context="Dispute Case Follow-up"), "回访情况")
		self.assertEqual(frappe._("State", context="Workflow Document State"), "状态")
		self.assertEqual(frappe._("States"), "状态")
		# "Hazards" is the safety workspace's card; the statistics count them.
		self.assertEqual(frappe._("Hazards"), "隐患")
		from wangge_app.safety.report.safety_hazard_statistics.safety_hazard_statistics import get_columns

		hazards = next(column for column in get_columns("Grid") if column["fieldname"] == "hazards")
		self.assertEqual(hazards["label"], "隐患数")

	def test_the_status_page_looks_a_request_up(self):
		template = Path(frappe.get_app_path("wangge_app", "www", "request", "status.html")).read_text()
		self.assertIn('_("Look Up")', template)
		self.assertEqual(frappe._("Look Up"), "查询")
		self.assertNotEqual(frappe._("Look Up", lang="bo"), "Look Up")

	def test_tibetan_names_the_community_one_way(self):
		import csv

		path = Path(frappe.get_app_path("wangge_app", "translations", "bo.csv"))
		with path.open(encoding="utf-8") as rows:
			translations = [row for row in csv.reader(rows) if len(row) >= 2]
		about_the_community = [
			(source, tibetan) for source, tibetan, *_ in translations if "community" in source.lower()
		]
		self.assertGreater(len(about_the_community), 3)
		for source, tibetan in about_the_community:
			self.assertIn("སྡོད་ཁུལ", tibetan, source)
		self.assertEqual([row[0] for row in translations if "སྡེ་ཁུལ" in row[1]], [])

	def test_the_step_log_shows_its_stored_values_translated(self):
		# The desk translates Select and Autocomplete values when it shows them, never Data.
		meta = frappe.get_meta("Resident Request Step")
		for fieldname in ("state", "handling_level"):
			self.assertIn(meta.get_field(fieldname).fieldtype, ("Select", "Autocomplete"), fieldname)
		levels = frappe.get_meta("Resident Request").get_field("handling_level").options.split("\n")
		self.assert_all_chinese(filter(None, levels))

	def test_print_formats_are_found_by_their_chinese_names(self):
		from frappe.desk.search import search_widget

		# Frappe's translated DocTypes show and search their records by translated name.
		self.assertTrue(frappe.get_meta("Print Format").translated_doctype)
		formats = frappe.get_all(
			"Print Format", {"module": ("in", frappe.get_module_list("wangge_app"))}, pluck="name"
		)
		self.assertGreater(len(formats), 5)
		self.assert_all_chinese(formats)
		found = search_widget("Print Format", txt="调解", filters={"doc_type": "Dispute Case"}, as_dict=True)
		self.assertIn("People's Mediation Agreement", [row.name for row in found])
