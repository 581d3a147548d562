"""`make benchmark`: the two role pages' figures on one community's data, against a budget of 1.5 s.

Run by `make benchmark` on its own site (bench_home_pages.localhost, recreated each run). Builds the
district's grid tree and fills the first community with its share of the district benchmark's data
(`dev/bench_district.py`: 2,500 households, 7,500 residents, 1,666 dispute cases and as many
residents' requests, 500 party members with 33,333 points entries, a year of service-station logs, 200
community activities: about what `make demo` builds), then measures over HTTP, against the site
served by Frappe's own server, as a grid worker of one grid (*My Grid Today*, 我的网格) and the
Community Manager of that community (*Seven in the Grid*, 七在网格):

- the reference: `frappe.client.get_count` of households, the lightest request a page makes;
- the page's figures as the desk asked for them before: each card's Number Card and its figure, one
  request after another, with the slowest cards (where the time goes);
- the page's figures in one request (`wangge_app.overview.get_figures`), counted afresh (the cache
  emptied before each request) and from the cache;

each as p50 and p95 (ms) and as a ratio to the reference. Fails (exit status 1) when a page's figures
counted afresh take more than 1.5 s (p50).

Usage: python dev/bench_home_pages.py SITE [--port N] [--repeat N]
(run from the bench's sites folder, as `make benchmark` does).
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import frappe

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_district import MANAGER, WORKER, fill, make_tree, make_users, serve, session  # noqa: E402

SITES = Path.cwd()
BUDGET_MS = 1500
SLOWEST_SHOWN = 5


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("site")
	parser.add_argument("--port", type=int, default=int(os.environ.get("WANGGE_WEB_PORT", 8000)))
	parser.add_argument("--repeat", type=int, default=10)
	parser.add_argument("--keep-data", action="store_true", help="measure the data an earlier run built")
	args = parser.parse_args()

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	try:
		failed = run(args)
	finally:
		frappe.destroy()
	sys.exit(1 if failed else 0)


def run(args) -> bool:
	from wangge_app.overview import MY_GRID, OVERVIEW

	started = time.perf_counter()
	if not args.keep_data:
		if frappe.db.count("Household"):
			sys.exit(
				f"bench_home_pages: {args.site} already has households; the benchmark needs a fresh site"
			)
		make_tree()
		make_users()
		fill(first_community=True)
	print(
		f"one community: {frappe.db.count('Household'):,} households, {frappe.db.count('Resident'):,} "
		f"residents, {frappe.db.count('Dispute Case'):,} cases, {frappe.db.count('Resident Request'):,} "
		f"requests in {time.perf_counter() - started:.1f} s",
		flush=True,
	)
	server = serve(args.site, args.port, "bench-home-pages")
	base_url = f"http://127.0.0.1:{args.port}"
	failed = False
	try:
		for label, user, page in (
			("grid worker: 我的网格", WORKER, MY_GRID),
			("community manager: 七在网格", MANAGER, OVERVIEW),
		):
			failed |= measure_page(base_url, label, user, page, args.repeat)
	finally:
		server.terminate()
		server.wait(timeout=10)
	return failed


def measure_page(base_url: str, label: str, user: str, page: str, repeat: int) -> bool:
	from wangge_app.overview.compute import FIGURES_CACHE_PREFIX

	http = session(base_url, user)
	page_argument = json.dumps({"name": page, "title": page, "public": 1})
	cards = [
		row["number_card_name"]
		for row in call(
			http,
			base_url,
			"frappe.desk.desktop.get_desktop_page",
			page=page_argument,
		)["number_cards"]["items"]
	]

	def forget_figures():
		frappe.cache.delete_keys(FIGURES_CACHE_PREFIX)

	reference = timed(repeat, lambda: call(http, base_url, "frappe.client.get_count", doctype="Household"))
	workspace = timed(
		repeat, lambda: call(http, base_url, "frappe.desk.desktop.get_desktop_page", page=page_argument)
	)
	per_card = {name: [] for name in cards}

	def card_by_card():
		for name in cards:
			started = time.perf_counter()
			card = call(
				http,
				base_url,
				"frappe.desk.form.load.getdoc",
				answer="docs",
				doctype="Number Card",
				name=name,
			)[0]
			if card["type"] == "Custom":
				call(http, base_url, card["method"], filters=card["filters_json"])
			else:
				call(
					http,
					base_url,
					"frappe.desk.doctype.number_card.number_card.get_result",
					doc=json.dumps(card),
					filters=card["filters_json"],
				)
			per_card[name].append((time.perf_counter() - started) * 1000)

	one_by_one = timed(repeat, card_by_card)
	names = json.dumps(cards)

	def afresh():
		forget_figures()
		figures = call(http, base_url, "wangge_app.overview.get_figures", cards=names)
		if sorted(figures) != sorted(cards):
			sys.exit(
				f"bench_home_pages: {label}: get_figures answered {sorted(figures)}, not {sorted(cards)}"
			)

	fresh = timed(repeat, afresh, before=forget_figures)
	cached = timed(repeat, lambda: call(http, base_url, "wangge_app.overview.get_figures", cards=names))

	base = p(reference, 50)
	print(f"\n{label} ({len(cards)} number cards)")
	print(f"  {'request':<52} {'p50':>7} {'p95':>7} {'× reference':>12}")
	for name, samples in (
		("reference: frappe.client.get_count (Household)", reference),
		("the workspace itself (get_desktop_page)", workspace),
		(f"before: card by card ({2 * len(cards)} requests)", one_by_one),
		("get_figures, counted afresh (1 request)", fresh),
		("get_figures, from the cache (1 request)", cached),
	):
		print(f"  {name:<52} {p(samples, 50):>7.0f} {p(samples, 95):>7.0f} {p(samples, 50) / base:>12.1f}")
	slowest = sorted(per_card.items(), key=lambda item: -p(item[1], 50))[:SLOWEST_SHOWN]
	print(
		"  where the time goes, card by card (p50 ms): "
		+ ", ".join(f"{n} {p(s, 50):.0f}" for n, s in slowest)
	)
	over = p(fresh, 50) > BUDGET_MS
	verdict = "OVER" if over else "within"
	print(
		f"  budget: the page's figures counted afresh {p(fresh, 50):.0f} ms, {verdict} {BUDGET_MS} ms (p50)"
	)
	return over


def timed(repeat: int, request, before=None) -> list[float]:
	"""Milliseconds of `repeat` runs after two untimed ones."""
	for _ in range(2):
		request()
	samples = []
	for _ in range(repeat):
		if before:
			before()
		started = time.perf_counter()
		request()
		samples.append((time.perf_counter() - started) * 1000)
	return samples


def p(samples: list[float], percentile: int) -> float:
	return statistics.quantiles(samples, n=100, method="inclusive")[percentile - 1]


def call(http, base_url: str, method: str, answer: str = "message", **data):
	response = http.post(f"{base_url}/api/method/{method}", data=data, timeout=300)
	if response.status_code != 200:
		sys.exit(f"bench_home_pages: {method}: {response.status_code} {response.text[:300]}")
	return response.json().get(answer)


if __name__ == "__main__":
	main()
