"""`make benchmark`: one site for a whole district, measured side by side at community and district scale.

Run by `make benchmark` on its own site (bench_district.localhost, recreated each run). Builds the grid
tree of a district (1 district, 6 sub-districts, 60 communities of 20 grids: 1,200 grids) and fills the
first community with its share of the data; measures; then fills the other 59 communities up to
150,000 households, 450,000 residents, 100,000 dispute cases, 100,000 residents' requests, 30,000
in-service party members, 2,000,000 points entries and, in each community, a service station with a
year's daily logs and about 200 community activities; measures again. Data goes in with bulk SQL
(MariaDB's SEQUENCE engine numbers the rows), not through the controllers.

Measured over HTTP against the site served by Frappe's own server (on WANGGE_WEB_PORT), as three
users: a grid worker of one grid, the Community Manager of the first community (a User Permission on
it) and a District Manager: each request's p50 and p95 (ms) at community scale, at district scale,
and their ratio. Then the query plans of the scoped list queries, to show the scope columns' indexes
at work.

Usage: python dev/bench_district.py SITE [--port N] [--repeat N]
(run from the bench's sites folder, as `make benchmark` does).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import frappe

SITES = Path.cwd()
PASSWORD = "Bench-District-2026"
WORKER = "bench-worker@example.com"
MANAGER = "bench-manager@example.com"
DISTRICT = "bench-district@example.com"

SUB_DISTRICTS = 6
COMMUNITIES = 60
GRIDS_PER_COMMUNITY = 20
GRIDS = COMMUNITIES * GRIDS_PER_COMMUNITY
HOUSEHOLDS = 150_000
RESIDENTS_PER_HOUSEHOLD = 3
CASES = 100_000
REQUESTS = 100_000
MEMBERS = 30_000
ENTRIES = 2_000_000
# Records of a community (its service station, its activities), by the community's own sum.
STATION_LOGS = COMMUNITIES * 365  # one day's log at each community's station, for a year
ACTIVITIES = COMMUNITIES * 200  # about 17 a month in each community


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("site")
	parser.add_argument("--port", type=int, default=int(os.environ.get("WANGGE_WEB_PORT", 8000)))
	parser.add_argument("--repeat", type=int, default=15)
	args = parser.parse_args()

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	try:
		run(args)
	finally:
		frappe.destroy()


def run(args) -> None:
	if frappe.db.count("Household"):
		sys.exit(f"bench_district: {args.site} already has households; the benchmark needs a fresh site")
	started = time.perf_counter()
	make_tree()
	make_users()
	fill(first_community=True)
	print(f"community scale: 1 community's data in {time.perf_counter() - started:.1f} s", flush=True)

	server = serve(args.site, args.port)
	base_url = f"http://127.0.0.1:{args.port}"
	try:
		community = measure(base_url, args.repeat)
		started = time.perf_counter()
		fill(first_community=False)
		print(
			f"district scale: {frappe.db.count('Household'):,} households, {frappe.db.count('Resident'):,} "
			f"residents, {frappe.db.count('Dispute Case'):,} cases, "
			f"{frappe.db.count('Resident Request'):,} requests, {frappe.db.count('Volunteer Points Entry'):,} "
			f"points entries, {frappe.db.count('Service Station Log'):,} station logs, "
			f"{frappe.db.count('Community Activity'):,} community activities in {time.perf_counter() - started:.1f} s",
			flush=True,
		)
		district = measure(base_url, args.repeat)
	finally:
		server.terminate()
		server.wait(timeout=10)

	print(f"\n{'request':<58} {'community p50':>13} {'p95':>8} {'district p50':>12} {'p95':>8} {'ratio':>6}")
	for name, samples in community.items():
		at_district = district[name]
		ratio = p(at_district, 50) / p(samples, 50)
		print(
			f"{name:<58} {p(samples, 50):>13.0f} {p(samples, 95):>8.0f} {p(at_district, 50):>12.0f} "
			f"{p(at_district, 95):>8.0f} {ratio:>6.2f}"
		)
	print(
		"(ms; p50 and p95 of",
		args.repeat,
		"requests after two untimed ones; ratio: district p50 ÷ community p50)",
	)
	print_query_plans()


# The district


def grid_code(index: int) -> str:
	"""G0101 … G6020: community and grid number of the 0-based grid index."""
	return f"G{index // GRIDS_PER_COMMUNITY + 1:02d}{index % GRIDS_PER_COMMUNITY + 1:02d}"


def make_tree() -> None:
	"""The Grid tree with its nested set numbers, written in one statement."""
	rows = []
	counter = iter(range(1, 10_000))

	def node(code, name, level, parent, children):
		lft = next(counter)
		inner = [child() for child in children]
		rgt = next(counter)
		rows.append((code, code, name, level, parent, lft, rgt, int(level != "Micro-grid")))
		return inner

	def community(c):
		code = f"C{c + 1:02d}"
		grids = range(c * GRIDS_PER_COMMUNITY, (c + 1) * GRIDS_PER_COMMUNITY)
		return lambda: node(
			code,
			f"第{c + 1}社区",
			"Community",
			f"S{c // (COMMUNITIES // SUB_DISTRICTS) + 1}",
			[
				lambda g=g: node(grid_code(g), f"第{c + 1}社区第{g % 20 + 1}网格", "Grid", code, [])
				for g in grids
			],
		)

	per_sub = COMMUNITIES // SUB_DISTRICTS
	node(
		"D01",
		"城关区",
		"District",
		None,
		[
			lambda s=s: node(
				f"S{s + 1}",
				f"第{s + 1}街道",
				"Sub-district",
				"D01",
				[community(c) for c in range(s * per_sub, (s + 1) * per_sub)],
			)
			for s in range(SUB_DISTRICTS)
		],
	)
	frappe.db.sql(
		"""insert into `tabGrid` (name, grid_code, grid_name, grid_level, parent_grid, lft, rgt, is_group,
			creation, modified, owner, modified_by)
		values """
		+ ", ".join(
			["(%s, %s, %s, %s, %s, %s, %s, %s, now(6), now(6), 'Administrator', 'Administrator')"] * len(rows)
		),
		[value for row in rows for value in row],
	)
	frappe.db.commit()


def make_users() -> None:
	from frappe.permissions import add_user_permission

	for email, role, scope in (
		(WORKER, "Grid Worker", grid_code(0)),
		(MANAGER, "Community Manager", "C01"),
		(DISTRICT, "District Manager", None),
	):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0],
				"send_welcome_email": 0,
				"language": "zh",
				"roles": [{"role": role}],
				"new_password": PASSWORD,
			}
		).insert(ignore_permissions=True)
		if scope:
			add_user_permission("Grid", scope, user.name, ignore_permissions=True)
	frappe.db.commit()


def share(total: int, first_community: bool) -> tuple[int, int]:
	"""The rows [start, end) of one community's share, or of the other communities'."""
	first = total // COMMUNITIES
	return (0, first) if first_community else (first, total)


GRID_OF_ROW = "concat('G', lpad(floor({grid} / 20) + 1, 2, '0'), lpad(mod({grid}, 20) + 1, 2, '0'))"


def community_of(seq_expression: str, total: int) -> str:
	"""SQL: the community code (C01 … C60) of a row numbered `seq_expression` of `total` rows."""
	return f"concat('C', lpad(floor(({seq_expression}) * {COMMUNITIES} / {total}) + 1, 2, '0'))"


def grid_of(seq_expression: str, total: int) -> str:
	"""SQL: the grid code of a row numbered `seq_expression` of `total` rows spread evenly over the grids."""
	return GRID_OF_ROW.format(grid=f"floor(({seq_expression}) * {GRIDS} / {total})")


def fill(first_community: bool) -> None:
	households = share(HOUSEHOLDS, first_community)
	cases = share(CASES, first_community)
	requests = share(REQUESTS, first_community)
	members = share(MEMBERS, first_community)
	entries = share(ENTRIES, first_community)
	stations = share(COMMUNITIES, first_community)
	station_logs = share(STATION_LOGS, first_community)
	activities = share(ACTIVITIES, first_community)
	if first_community:
		frappe.get_doc(
			{"doctype": "Work Unit", "unit_name": "基准测试单位", "unit_type": "Government Office"}
		).insert(ignore_permissions=True)
	bulk(
		"Household",
		households,
		"""name, grid, building, unit, room, address, elderly_living_alone, renter, phone_masked""",
		f"""concat('HH-B', lpad(seq, 7, '0')), {grid_of("seq", HOUSEHOLDS)}, mod(seq, 9) + 1, 1,
			mod(seq, 125) + 101, concat(mod(seq, 9) + 1, '栋1单元', mod(seq, 125) + 101, '室'),
			mod(seq, 40) = 0, mod(seq, 7) = 0, '139****0000'""",
	)
	bulk(
		"Resident",
		(households[0] * RESIDENTS_PER_HOUSEHOLD, households[1] * RESIDENTS_PER_HOUSEHOLD),
		"name, full_name, id_number, id_number_masked, gender, household, grid",
		f"""concat('RES-B', lpad(seq, 7, '0')), concat('居民', seq), concat('5401', lpad(seq, 14, '0')),
			'540102********0000', if(mod(seq, 2), 'Male', 'Female'),
			concat('HH-B', lpad(floor(seq / {RESIDENTS_PER_HOUSEHOLD}), 7, '0')),
			{grid_of(f"floor(seq / {RESIDENTS_PER_HOUSEHOLD})", HOUSEHOLDS)}""",
	)
	bulk(
		"Dispute Case",
		cases,
		"""name, naming_series, subject, grid, category, case_source, discovered_at, tier, workflow_state,
			is_overdue, next_due_by, outcome, escalated_at, description""",
		f"""concat('纠纷-B', lpad(seq, 6, '0')), '纠纷-.YYYY.-.####', concat('邻里纠纷', seq),
			{grid_of("seq", CASES)}, 'Neighbours', 'Grid Patrol',
			now() - interval mod(seq, 365) day, elt(mod(seq, 10) + 1, 'Ordinary', 'Ordinary', 'Ordinary',
			'Ordinary', 'Ordinary', 'Ordinary', 'Ordinary', 'Complex', 'Complex', 'Major'),
			if(mod(seq, 5) = 0, 'Reported', 'Case Closed'), mod(seq, 50) = 0,
			if(mod(seq, 5) = 0, now() + interval mod(seq, 72) hour, null),
			if(mod(seq, 5) = 0, null, 'Agreement Reached'),
			if(mod(seq, 10) >= 7, now() - interval mod(seq, 365) day, null), '楼上楼下噪音争执'""",
	)
	bulk(
		"Resident Request",
		requests,
		"""name, naming_series, subject, channel, grid, received_at, category, grade, workflow_state,
			is_overdue, next_due_by, resolved_at, resolve_due_by, resolved_in_grid, description""",
		f"""concat('诉求-B', lpad(seq, 6, '0')), '诉求-.YYYY.-.#####', concat('楼道灯不亮', seq),
			'Contact Card Call', {grid_of("seq", REQUESTS)}, now() - interval mod(seq, 365) day,
			'Public Facilities', 'Ordinary', if(mod(seq, 5) = 0, 'Received', 'Request Closed'),
			mod(seq, 50) = 0, if(mod(seq, 5) = 0, now() + interval mod(seq, 72) hour, null),
			if(mod(seq, 5) = 0, null, now() - interval mod(seq, 365) day + interval 3 day),
			now() - interval mod(seq, 365) day + interval 7 day, mod(seq, 5) <> 0 and mod(seq, 5) <> 1,
			'楼道灯坏了一个星期'""",
	)
	bulk(
		"In-service Party Member",
		members,
		"""name, full_name, mobile, mobile_masked, work_unit, registration_date, grid, status,
			points_balance, activity_count""",
		f"""concat('PM-B', lpad(seq, 6, '0')), concat('党员', seq), concat('139', lpad(seq, 8, '0')),
			'139****0000', '基准测试单位', '2020-01-01', {grid_of("seq", MEMBERS)}, 'In Service',
			0, 0""",
	)
	bulk(
		"Volunteer Points Entry",
		entries,
		"name, member, points, entry_type, posting_date, voucher_type, voucher_no",
		f"""concat('VPE-B', lpad(seq, 8, '0')),
			concat('PM-B', lpad(floor(seq * {MEMBERS} / {ENTRIES}), 6, '0')), 1 + mod(seq, 3), 'Earned',
			'2025-01-01' + interval mod(seq, 600) day, 'Work Unit', '基准测试单位'""",
	)
	bulk(
		"Party Mass Service Station",
		stations,
		"name, station_name, community, location",
		"concat('第', seq + 1, '社区V站'), concat('第', seq + 1, '社区V站'), "
		"concat('C', lpad(seq + 1, 2, '0')), '社区服务中心一楼'",
	)
	bulk(
		"Service Station Log",
		station_logs,
		"name, station, community, log_date, service, visitor_type, people_count",
		f"""concat('SVL-B', lpad(seq, 6, '0')), concat('第', floor(seq * {COMMUNITIES} / {STATION_LOGS}) + 1, '社区V站'),
			{community_of("seq", STATION_LOGS)}, curdate() - interval mod(seq, 365) day,
			(select name from `tabStation Service` order by name limit 1), 'Resident', 1 + mod(seq, 9)""",
	)
	bulk(
		"Community Activity",
		activities,
		"name, title, community, target_group, start_time, end_time, status, docstatus",
		f"""concat('CA-B', lpad(seq, 6, '0')), concat('社区活动', seq),
			{community_of("seq", ACTIVITIES)}, elt(mod(seq, 3) + 1, 'All Residents', 'Elderly', 'Children under 6'),
			now() - interval mod(seq, 365) day, now() - interval mod(seq, 365) day + interval 2 hour,
			if(mod(seq, 365) = 0, 'Planned', 'Completed'), 1""",
	)
	frappe.db.sql(
		"""update `tabIn-service Party Member` m join (select member, sum(points) as points, count(*) as entries
			from `tabVolunteer Points Entry` group by member) l on l.member = m.name
		set m.points_balance = l.points, m.activity_count = l.entries"""
	)
	frappe.db.commit()
	settle_database()


def settle_database(seconds: int = 120) -> None:
	"""After a bulk load, fresh table statistics and InnoDB done writing the new rows out, so that
	both scales are measured on a quiet database (not during the load's background flushing)."""
	for doctype in (
		"Household",
		"Resident",
		"Dispute Case",
		"Resident Request",
		"In-service Party Member",
		"Volunteer Points Entry",
		"Service Station Log",
		"Community Activity",
	):
		frappe.db.sql(f"analyze table `tab{doctype}`")
	deadline = time.monotonic() + seconds
	while time.monotonic() < deadline:
		dirty = frappe.db.sql("show global status like 'Innodb_buffer_pool_pages_dirty'")[0][1]
		if int(dirty) < 100:
			break
		time.sleep(2)


def bulk(doctype: str, rows: tuple[int, int], columns: str, values: str) -> None:
	start, end = rows
	if end <= start:
		return
	started = time.perf_counter()
	# Written over the past year, every community's rows among the others', as records are in use (all
	# at one moment, the first community's would be the district's oldest: the worst case of a list
	# sorted by `modified`, for the community scale's own rows).
	written = "now(6) - interval mod(seq, 365) day - interval mod(seq * 7919, 86400) second"
	# In slices, so that one statement's undo log stays small.
	for first in range(start, end, 250_000):
		last = min(first + 250_000, end) - 1
		frappe.db.sql(
			f"""insert into `tab{doctype}` ({columns}, creation, modified, owner, modified_by)
			select {values}, {written}, {written}, 'Administrator', 'Administrator'
			from seq_{first}_to_{last}"""
		)
		frappe.db.commit()
	print(f"  {doctype}: {end - start:,} rows in {time.perf_counter() - started:.1f} s", flush=True)


# Measuring


def serve(site: str, port: int, log_name: str = "bench-district") -> subprocess.Popen:
	"""The site served by Frappe's own server on `port` (the home-pages benchmark serves its site so too)."""
	log = open(SITES.parent / "logs" / f"{log_name}-server.log", "w")
	server = subprocess.Popen(
		[sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "--site", site]
		+ ["serve", "--port", str(port), "--noreload"],
		cwd=SITES,
		stdout=log,
		stderr=subprocess.STDOUT,
	)
	deadline = time.monotonic() + 60
	while time.monotonic() < deadline:
		try:
			with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/method/ping", timeout=2):
				return server
		except OSError:
			time.sleep(0.3)
	server.terminate()
	sys.exit(f"{log_name}: the site server did not start (logs/{log_name}-server.log)")


def session(base_url: str, user: str):
	import requests

	http = requests.Session()
	http.headers["Accept"] = "application/json"
	response = http.post(f"{base_url}/api/method/login", data={"usr": user, "pwd": PASSWORD})
	response.raise_for_status()
	return http


def requests_of(base_url: str) -> dict:
	"""name: (user, method, arguments) of each request measured; a list of those for a whole page."""
	from wangge_app.overview import FIGURE_METHOD, INDICATORS, OVERVIEW, number_card

	def list_view(doctype, fields):
		return (
			"frappe.desk.reportview.get",
			{
				"doctype": doctype,
				"fields": json.dumps([f"`tab{doctype}`.`{field}`" for field in ["name", *fields]]),
				"order_by": f"`tab{doctype}`.`modified` desc",
				"start": 0,
				"page_length": 20,
				"with_comment_count": 1,
			},
		)

	def count(doctype):
		return ("frappe.desk.reportview.get_count", {"doctype": doctype, "filters": "[]"})

	def search(doctype, txt):
		return ("frappe.desk.search.search_link", {"doctype": doctype, "txt": txt, "page_length": 10})

	def report(name, **filters):
		return ("frappe.desk.query_report.run", {"report_name": name, "filters": json.dumps(filters)})

	def card(indicator):
		definition = number_card(indicator)
		if definition["type"] == "Custom":
			return (FIGURE_METHOD, {"filters": definition["filters_json"]})
		return (
			"frappe.desk.doctype.number_card.number_card.get_result",
			{"doc": json.dumps(definition), "filters": definition["filters_json"]},
		)

	overview = [card(i) for i in INDICATORS if OVERVIEW in i.pages]
	return {
		"grid worker: household list": (WORKER, [list_view("Household", ["address", "grid"])]),
		"grid worker: household count": (WORKER, [count("Household")]),
		"grid worker: resident list": (WORKER, [list_view("Resident", ["full_name", "grid"])]),
		"grid worker: dispute case list": (
			WORKER,
			[list_view("Dispute Case", ["subject", "workflow_state"])],
		),
		"grid worker: resident request list": (
			WORKER,
			[list_view("Resident Request", ["subject", "workflow_state"])],
		),
		"grid worker: household link search": (WORKER, [search("Household", "HH-B")]),
		"grid worker: community activity list": (
			WORKER,
			[list_view("Community Activity", ["title", "start_time"])],
		),
		"grid worker: resident link search": (WORKER, [search("Resident", "居民1")]),
		"community: dispute case list": (MANAGER, [list_view("Dispute Case", ["subject", "workflow_state"])]),
		"community: community activity list": (
			MANAGER,
			[list_view("Community Activity", ["title", "start_time"])],
		),
		"community: Dispute Case Statistics": (MANAGER, [report("Dispute Case Statistics", group_by="Grid")]),
		"community: Party Member Household Coverage": (MANAGER, [report("Party Member Household Coverage")]),
		"community: Volunteering Summary": (MANAGER, [report("Volunteering Summary", view="By Grid")]),
		"community: Grid Scorecard": (MANAGER, [report("Grid Scorecard", rows="By Grid")]),
		f"community: overview ({len(overview)} number cards)": (MANAGER, overview),
		"district: Grid Scorecard by community": (DISTRICT, [report("Grid Scorecard", rows="By Community")]),
	}


def measure(base_url: str, repeat: int) -> dict[str, list[float]]:
	sessions = {user: session(base_url, user) for user in (WORKER, MANAGER, DISTRICT)}
	results = {}
	for name, (user, calls) in requests_of(base_url).items():
		http = sessions[user]

		def page():
			for method, data in calls:
				response = http.post(f"{base_url}/api/method/{method}", data=data, timeout=300)
				if response.status_code != 200:
					sys.exit(f"bench_district: {name}: {response.status_code} {response.text[:300]}")

		for _ in range(2):
			page()
		samples = []
		for _ in range(repeat):
			started = time.perf_counter()
			page()
			samples.append((time.perf_counter() - started) * 1000)
		results[name] = samples
		print(f"  {name}: p50 {p(samples, 50):.0f} ms", flush=True)
	return results


def p(samples: list[float], percentile: int) -> float:
	return statistics.quantiles(samples, n=100, method="inclusive")[percentile - 1]


def print_query_plans() -> None:
	"""EXPLAIN of the list queries as the grid worker and the community manager send them."""
	print("\nQuery plans (EXPLAIN) of the list queries, with the permission layer's conditions:")
	for user, doctype in (
		(WORKER, "Household"),
		(WORKER, "Resident"),
		(WORKER, "Dispute Case"),
		(WORKER, "Resident Request"),
		(MANAGER, "Dispute Case"),
		(MANAGER, "Community Activity"),
	):
		frappe.set_user(user)
		query = frappe.get_list(
			doctype, fields=["name"], order_by=f"`tab{doctype}`.`modified` desc", limit=20, run=False
		)
		frappe.set_user("Administrator")
		print(f"\n{user} · {doctype}: {query}")
		for row in frappe.db.sql(f"explain {query}", as_dict=True):
			print(f"  table {row.table}: type {row.type}, key {row.key}, rows {row.rows}, {row.Extra or ''}")


if __name__ == "__main__":
	main()
