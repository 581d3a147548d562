"""`make benchmark`: a workflow transition's cost with few and with many holders of the next role.

On save, Frappe's workflow looks up who may act next (`process_workflow_actions`); the pre-release
engine checked `has_permission` for every holder of each next transition's role, so a save cost grew
with the number of users holding it (a district's grid workers). This measures, side by side in one
run, a grid worker's "Arrive On Site" on a dispute case (the next transitions are the grid workers'
too) with 5 holders of the Grid Worker role, then with 1,200.

Run by `make benchmark` on its own site (bench_workflow.localhost, recreated each run). Users beyond
the first are added with bulk SQL (User and Has Role rows); the transitions go through
`frappe.model.workflow.apply_workflow` as the grid worker, each committed.

Usage: python dev/bench_workflow.py SITE [--samples N]   (run from the bench's sites folder)
"""

import argparse
import statistics
import sys
import time

import frappe

ROLE = "Grid Worker"
HOLDER_COUNTS = (5, 1200)


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("site")
	parser.add_argument("--samples", type=int, default=40)
	args = parser.parse_args()
	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	try:
		run(args)
	finally:
		frappe.destroy()


def run(args) -> None:
	from frappe.model.workflow import apply_workflow

	from wangge_app import workflows as wf
	from wangge_app.mediation.doctype.dispute_case.test_dispute_case import make_dispute_case
	from wangge_app.test_utils import make_community_tree, make_household, make_resident, make_user

	frappe.set_user("Administrator")
	if frappe.db.count("Dispute Case"):
		sys.exit(f"bench_workflow: {args.site} already has cases; the benchmark needs a fresh site")
	worker = make_user("bench-worker@example.com", [ROLE]).name
	_, grid, _ = make_community_tree(workers=[worker])
	resident = make_resident(make_household(grid.name).name)
	frappe.db.commit()

	results = []
	for holders in HOLDER_COUNTS:
		add_role_holders(holders)
		parties = [{"party_role": "Applicant", "resident": resident.name}]
		cases = [make_dispute_case(grid.name, parties).name for _ in range(args.samples + 5)]
		frappe.db.commit()
		frappe.set_user(worker)
		timings = []
		for index, case in enumerate(cases):
			started = time.perf_counter()
			apply_workflow(frappe.get_doc("Dispute Case", case), wf.ARRIVE_ON_SITE)
			frappe.db.commit()
			if index >= 5:  # the first few warm the caches
				timings.append((time.perf_counter() - started) * 1000)
		frappe.set_user("Administrator")
		results.append((holders, timings))
		print(f"{holders:,} holders of {ROLE}: {len(timings)} transitions measured", flush=True)

	print()
	print(f"{'holders':>8} {'p50 ms':>8} {'p95 ms':>8}   (a grid worker's Arrive On Site, committed)")
	for holders, timings in results:
		print(f"{holders:>8,} {p(timings, 50):>8.1f} {p(timings, 95):>8.1f}")
	(few, few_timings), (many, many_timings) = results
	print(f"ratio p50 {many:,} ÷ {few:,} holders: {p(many_timings, 50) / p(few_timings, 50):.2f}")


def add_role_holders(count: int) -> None:
	"""Enabled system users holding the role, `count` in all."""
	have = frappe.db.count("Has Role", {"role": ROLE, "parenttype": "User"})
	if have >= count:
		return
	first = have + 1
	frappe.db.sql(
		f"""insert into `tabUser` (name, creation, modified, owner, modified_by, email, first_name,
			enabled, user_type, send_welcome_email, language)
		select concat('holder', seq, '@example.com'), now(6), now(6), 'Administrator', 'Administrator',
			concat('holder', seq, '@example.com'), concat('网格员', seq), 1, 'System User', 0, 'zh'
		from seq_{first}_to_{count}"""
	)
	frappe.db.sql(
		f"""insert into `tabHas Role` (name, creation, modified, owner, modified_by, parent, parenttype,
			parentfield, role, idx)
		select concat('holder-role-', seq), now(6), now(6), 'Administrator', 'Administrator',
			concat('holder', seq, '@example.com'), 'User', 'roles', %s, 1
		from seq_{first}_to_{count}""",
		ROLE,
	)
	frappe.db.commit()
	frappe.clear_cache()


def p(samples: list[float], percentile: int) -> float:
	return statistics.quantiles(samples, n=100)[percentile - 1]


if __name__ == "__main__":
	main()
