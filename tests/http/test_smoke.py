"""A smoke test of the served site (`make test-quick` runs it beside the changed modules' unit
tests): a grid worker's lists, records and search keep to their own grid, and the desk opens. Two
grids, A and B, from tests/http/conftest.py's `site`."""

from tests.http.two_grids import text


def test_a_grid_worker_reads_only_their_grid_and_opens_the_desk(site, clients):
	listed = clients.worker.resource(
		"GET", "Dispute Case", params={"fields": '["name"]', "limit_page_length": 0}
	)
	assert listed.status_code == 200, text(listed)
	names = {row["name"] for row in listed.json()["data"]}
	assert site.case_a in names and site.case_b not in names

	assert clients.worker.resource("GET", f"Household/{site.household_a}").status_code == 200
	refused = clients.worker.resource("GET", f"Household/{site.household_b}")
	assert refused.status_code == 403, text(refused)

	found = clients.worker.call("frappe.desk.search.search_link", doctype="Resident", txt="")
	assert found.status_code == 200, text(found)
	residents = {row["value"] for row in found.json()["message"]}
	assert site.resident_a.name in residents and site.resident_b.name not in residents

	# A community mediator sees both grids' cases.
	listed = clients.mediator.resource(
		"GET", "Dispute Case", params={"fields": '["name"]', "limit_page_length": 0}
	)
	assert {site.case_a, site.case_b} <= {row["name"] for row in listed.json()["data"]}, text(listed)

	# Last: once the desk has booted, the session's POSTs need the CSRF token the page carries.
	desk = clients.worker.session.get(f"{clients.worker.base_url}/app", headers={"Accept": "text/html"})
	assert desk.status_code == 200 and "frappe.boot" in desk.text, desk.text[:300]
