"""Queue health (issue 23, finding 12), over HTTP against the served test site: the System Manager
reads how many background jobs wait and how long the oldest has waited, on the workspace *Queue
Health*; no other role sees the figures, the cards or the page.

The jobs wait in a queue of the bench's that only the test knows and no worker reads (see
wangge_app/tests/test_queue_health.py); the served site finds it in Redis as it finds Frappe's."""

import json

import frappe
import pytest

from tests.http.two_grids import PASSWORD, Client
from wangge_app.queue_health import MAX_WAIT_MINUTES
from wangge_app.test_utils import make_user
from wangge_app.tests.test_queue_health import enqueue_jobs, private_queue

SYSTEM_MANAGER = "queue-http-system-manager@example.com"
# Every role of the app, none of them System Manager.
OTHERS = {
	"queue-http-community-manager@example.com": "Community Manager",
	"queue-http-district-manager@example.com": "District Manager",
	"queue-http-grid-worker@example.com": "Grid Worker",
	"queue-http-mediator@example.com": "Community Mediator",
	"queue-http-committee@example.com": "Community Party Committee",
	"queue-http-secretary@example.com": "Grid Party Branch Secretary",
}
CARDS = {
	"Background Jobs Waiting": "wangge_app.queue_health.get_waiting_jobs",
	"Oldest Job Wait Minutes": "wangge_app.queue_health.get_oldest_wait_minutes",
}
PAGE = "Queue Health"
WAITING = 5
WAITED_MINUTES = MAX_WAIT_MINUTES + 7


@pytest.fixture(scope="module")
def waiting_jobs(base_url):
	frappe.set_user("Administrator")
	make_user(SYSTEM_MANAGER, ["System Manager"], new_password=PASSWORD)
	for user, role in OTHERS.items():
		make_user(user, [role], new_password=PASSWORD)
	frappe.db.commit()
	with private_queue() as queue:
		enqueue_jobs(queue, WAITING, waited_minutes=WAITED_MINUTES)
		yield frappe._dict(
			system_manager=Client(base_url, SYSTEM_MANAGER),
			others={user: Client(base_url, user) for user in OTHERS},
		)


def message(response):
	return response.json().get("message")


def page_of(client: Client) -> dict:
	response = client.call(
		"frappe.desk.desktop.get_desktop_page", page=json.dumps({"name": PAGE, "title": PAGE})
	)
	assert response.status_code == 200, response.text[:300]
	return message(response)


def sidebar_of(client: Client) -> list[str]:
	response = client.call("frappe.desk.desktop.get_workspace_sidebar_items")
	assert response.status_code == 200, response.text[:300]
	return [page["name"] for page in message(response)["pages"]]


def test_finding_12_queue_health_visible_to_system_manager(waiting_jobs):
	manager = waiting_jobs.system_manager
	waiting = manager.call(CARDS["Background Jobs Waiting"])
	assert waiting.status_code == 200, waiting.text[:300]
	# The bench's own queues may hold other jobs besides the test's.
	assert message(waiting)["value"] >= WAITING
	oldest = manager.call(CARDS["Oldest Job Wait Minutes"])
	assert oldest.status_code == 200, oldest.text[:300]
	assert message(oldest)["value"] >= WAITED_MINUTES

	assert PAGE in sidebar_of(manager)
	page = page_of(manager)
	assert [card["number_card_name"] for card in page["number_cards"]["items"]] == list(CARDS)
	for card in CARDS:
		response = manager.resource("GET", f"Number Card/{card}")
		assert response.status_code == 200, response.text[:300]

	for user, client in waiting_jobs.others.items():
		for card, method in CARDS.items():
			response = client.call(method)
			assert response.status_code == 403, f"{user} reads {card}: {response.text[:300]}"
			response = client.resource("GET", f"Number Card/{card}")
			assert response.status_code == 403, f"{user} reads the card {card}: {response.text[:300]}"
		assert PAGE not in sidebar_of(client), f"{user} has the page {PAGE} in their sidebar"
		# The page itself is refused to a role without the Grid module, and shown empty to the others.
		response = client.call(
			"frappe.desk.desktop.get_desktop_page", page=json.dumps({"name": PAGE, "title": PAGE})
		)
		if response.status_code == 403:
			continue
		assert response.status_code == 200, response.text[:300]
		page = message(response)
		assert not page["number_cards"]["items"], f"{user} sees the cards of {PAGE}: {page['number_cards']}"
		assert not page["cards"]["items"], f"{user} sees the links of {PAGE}: {page['cards']}"
