# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The indicators make their Number Cards (no card is also a JSON file), and a role page's figures come
in one request, kept a short time per scope and never shared between scopes."""

import json
from pathlib import Path

import frappe
from frappe.desk.doctype.number_card.number_card import get_result
from frappe.tests.utils import FrappeTestCase

from wangge_app import overview
from wangge_app.desk_setup import set_up_desk
from wangge_app.overview.cards import counts_as_declared, number_card
from wangge_app.overview.compute import FIGURES_CACHE_SECONDS, figures_cache_key, scope_key
from wangge_app.resident_services.test_utils import make_request
from wangge_app.test_utils import make_community_tree, make_user

APP = Path(frappe.get_app_path("wangge_app"))
WORKER_NORTH = "figures-worker-north@example.com"
WORKER_NORTH_TOO = "figures-worker-north-2@example.com"
WORKER_SOUTH = "figures-worker-south@example.com"
COMMITTEE = "figures-committee@example.com"
REQUESTS_IN_HAND = "Resident Requests in Hand"


def card_figure(name: str):
	"""The figure as Frappe's own card widget asks for it (one request per card)."""
	card = frappe.get_doc("Number Card", name)
	if card.type == "Custom":
		return frappe.get_attr(card.method)(filters=card.filters_json)["value"]
	return get_result(card.as_dict(), card.filters_json)


def page_cards(page: str) -> list[str]:
	return [row.number_card_name for row in frappe.get_doc("Workspace", page).number_cards]


def forget_cached_figures() -> None:
	frappe.cache.delete_keys(overview.compute.FIGURES_CACHE_PREFIX)


class TestIndicatorCards(FrappeTestCase):
	def tearDown(self):
		set_up_desk()

	def test_no_card_of_an_indicator_is_also_a_json_file(self):
		files = {
			json.loads(path.read_text(encoding="utf-8"))["name"]
			for path in APP.glob("*/number_card/*/*.json")
		}
		self.assertTrue(files)  # the modules' own cards are still files
		self.assertEqual(files & {i.name for i in overview.INDICATORS}, set())

	def test_every_indicator_has_its_card_counting_what_it_declares(self):
		set_up_desk()
		for declared in overview.INDICATORS:
			card = frappe.db.get_value("Number Card", declared.name, "*", as_dict=True)
			self.assertTrue(card, declared.name)
			self.assertTrue(counts_as_declared(declared, card), declared.name)
			self.assertFalse(card.is_standard, declared.name)

	def test_a_changed_declaration_changes_the_card_and_the_managers_look_stays(self):
		# As a site has a card the app once shipped as a file, edited since: a colour of the manager's,
		# filters of an older declaration.
		frappe.db.set_value(
			"Number Card",
			"Open Hazards",
			{
				"filters_json": json.dumps([["Safety Hazard", "is_overdue", "=", 1, False]]),
				"color": "#123456",
				"is_standard": 1,
				"module": "Safety",
			},
		)
		set_up_desk()
		card = frappe.get_doc("Number Card", "Open Hazards")
		declared = overview.indicator("Open Hazards")
		self.assertEqual(json.loads(card.filters_json), json.loads(number_card(declared)["filters_json"]))
		self.assertEqual(card.color, "#123456")
		self.assertFalse(card.is_standard)
		self.assertFalse(card.module)

	def test_a_card_of_a_figure_gets_its_method_back(self):
		frappe.db.set_value("Number Card", "Activities per Member", "method", "frappe.ping")
		set_up_desk()
		self.assertEqual(
			frappe.db.get_value("Number Card", "Activities per Member", "method"), overview.FIGURE_METHOD
		)


class TestPageFigures(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		for user in (WORKER_NORTH, WORKER_NORTH_TOO, WORKER_SOUTH):
			make_user(user, ["Grid Worker"])
		make_user(COMMITTEE, ["Community Party Committee"])
		# A known data set: the grids of an earlier run are no longer theirs.
		frappe.db.delete("User Permission", {"user": ("in", (WORKER_NORTH, WORKER_NORTH_TOO, WORKER_SOUTH))})
		_community, north, _micro = make_community_tree(workers=[WORKER_NORTH, WORKER_NORTH_TOO])
		_community, south, _micro = make_community_tree(workers=[WORKER_SOUTH])
		# Two requests in hand in the north grid, one in the south.
		for grid in (north.name, north.name, south.name):
			make_request(grid)
		set_up_desk()

	def setUp(self):
		forget_cached_figures()

	def tearDown(self):
		frappe.set_user("Administrator")
		forget_cached_figures()

	def test_one_request_answers_every_card_of_a_page_as_the_card_would(self):
		for user, page in ((WORKER_NORTH, overview.MY_GRID), ("Administrator", overview.OVERVIEW)):
			frappe.set_user(user)
			cards = page_cards(page)
			figures = overview.get_figures(json.dumps(cards))
			self.assertEqual(sorted(figures), sorted(cards), user)
			for name in cards:
				self.assertEqual(figures[name]["value"], card_figure(name), f"{name} as {user}")
				self.assertEqual(figures[name]["card"]["name"], name)

	def test_figures_are_never_shared_across_scopes(self):
		cards = json.dumps(page_cards(overview.MY_GRID))
		frappe.set_user(WORKER_NORTH)
		north = overview.get_figures(cards)
		self.assertEqual(north[REQUESTS_IN_HAND]["value"], 2)
		# The south grid's worker asks while the north's answer is cached: theirs is their own.
		frappe.set_user(WORKER_SOUTH)
		self.assertEqual(overview.get_figures(cards)[REQUESTS_IN_HAND]["value"], 1)
		self.assertNotEqual(scope_key(WORKER_NORTH), scope_key(WORKER_SOUTH))
		# A colleague of the same grid has the same scope, and the same figures.
		self.assertEqual(scope_key(WORKER_NORTH), scope_key(WORKER_NORTH_TOO))
		frappe.set_user(WORKER_NORTH_TOO)
		self.assertEqual(overview.get_figures(cards), north)

	def test_the_cache_keeps_a_page_for_a_short_time_only(self):
		frappe.set_user(WORKER_NORTH)
		names = page_cards(overview.MY_GRID)
		before = overview.get_figures(json.dumps(names))[REQUESTS_IN_HAND]["value"]
		cards = sorted(
			frappe.get_all("Number Card", {"name": ("in", names)}, list(overview.compute.CARD_FIELDS)),
			key=lambda card: card.name,
		)
		key = frappe.cache.make_key(figures_cache_key(cards))
		self.assertTrue(0 < frappe.cache.ttl(key) <= FIGURES_CACHE_SECONDS)
		# Within that time a new record waits; once it has passed, it shows.
		frappe.set_user("Administrator")
		grid = frappe.get_all("User Permission", {"user": WORKER_NORTH, "allow": "Grid"}, pluck="for_value")[
			0
		]
		make_request(grid)
		frappe.set_user(WORKER_NORTH)
		self.assertEqual(overview.get_figures(json.dumps(names))[REQUESTS_IN_HAND]["value"], before)
		frappe.cache.delete_value(figures_cache_key(cards))
		self.assertEqual(overview.get_figures(json.dumps(names))[REQUESTS_IN_HAND]["value"], before + 1)

	def test_cards_the_viewer_may_not_read_or_not_of_an_indicator_are_left_to_the_desk(self):
		frappe.set_user(COMMITTEE)  # reads central households, not dispute cases
		figures = overview.get_figures(
			json.dumps(
				[
					"Households Served by Central Households",
					"Share of Cases Resolved in the Grid",
					"Bookable Spaces",
					"No Such Card",
				]
			)
		)
		self.assertEqual(list(figures), ["Households Served by Central Households"])

	def test_a_card_someone_changed_is_left_to_the_desk(self):
		frappe.db.set_value("Number Card", REQUESTS_IN_HAND, "filters_json", "[]")
		try:
			frappe.set_user(WORKER_NORTH)
			figures = overview.get_figures(json.dumps(page_cards(overview.MY_GRID)))
			self.assertNotIn(REQUESTS_IN_HAND, figures)
			self.assertIn("Overdue Resident Requests", figures)
		finally:
			frappe.set_user("Administrator")
			set_up_desk()

	def test_cards_not_given_as_a_list_are_refused(self):
		for cards in ("not json", json.dumps({"cards": 1}), json.dumps(["x"] * 101)):
			with self.assertRaises(frappe.ValidationError, msg=cards):
				overview.get_figures(cards)
		self.assertEqual(overview.get_figures(None), {})
