"""A role page draws its indicators' figures from one request (wangge_app.overview.get_figures, see
public/js/home_figures.js), not two per card, and shows the figures of the viewer's own grid."""

import frappe
import pytest
from selenium.webdriver.common.by import By

from tests.browser.desk import log_in, open_desk, translated, wait
from wangge_app.overview import MY_GRID
from wangge_app.overview.compute import FIGURES_CACHE_PREFIX
from wangge_app.resident_services.test_utils import make_request
from wangge_app.test_utils import make_community_tree, make_user

PASSWORD = "Wangge-Figures-2026"
WORKER = "figures-browser-worker@example.com"
REQUESTS_IN_HAND = "Resident Requests in Hand"
# What Frappe's card widget asks for, card by card.
PER_CARD_METHODS = {
	"frappe.desk.doctype.number_card.number_card.get_result",
	"wangge_app.overview.get_figure",
}


@pytest.fixture(scope="module")
def worker():
	frappe.set_user("Administrator")
	make_user(WORKER, ["Grid Worker"], first_name="格桑", language="zh", new_password=PASSWORD)
	frappe.db.delete("User Permission", {"user": WORKER})
	_community, grid, _micro = make_community_tree(workers=[WORKER])
	for _ in range(3):
		make_request(grid.name)
	frappe.db.commit()
	frappe.cache.delete_keys(FIGURES_CACHE_PREFIX)
	return WORKER


def shown_figures(driver) -> dict:
	"""Each number card's title and the figure it shows, once every card shows one."""
	cards = driver.find_elements(By.CSS_SELECTOR, ".number-widget-box")
	if not cards or driver.find_elements(By.CSS_SELECTOR, ".number-card-loading"):
		return {}
	figures = {}
	for card in cards:
		numbers = card.find_elements(By.CSS_SELECTOR, ".number")
		if not numbers:
			return {}
		figures[card.find_element(By.CSS_SELECTOR, ".widget-title").text.strip()] = numbers[0].text.strip()
	return figures


def test_my_grid_today_draws_its_figures_from_one_request(driver, base_url, worker, console):
	log_in(driver, base_url, WORKER, PASSWORD)
	open_desk(driver, base_url, "/app/" + frappe.scrub(MY_GRID).replace("_", "-"))
	cards = [row.number_card_name for row in frappe.get_doc("Workspace", MY_GRID).number_cards]
	figures = wait(driver, lambda d: (shown := shown_figures(d)) and len(shown) == len(cards) and shown)
	assert figures[translated(REQUESTS_IN_HAND)] == "3", figures
	urls = driver.execute_script("return performance.getEntriesByType('resource').map((e) => e.name)")
	methods = [url.split("/api/method/")[1].split("?")[0] for url in urls if "/api/method/" in url]
	assert methods.count("wangge_app.overview.get_figures") == 1, methods
	assert not PER_CARD_METHODS & set(methods), methods
