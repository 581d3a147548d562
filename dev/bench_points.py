"""`make benchmark`: the points balance look-up, kept balance vs a SUM over the ledger.

Run by `make benchmark` on its own site (bench_points.localhost, recreated each run). Seeds 10,000
members and a ledger of 10,000 entries, measures, grows the ledger to 1,000,000 entries, measures
again. Seeding is bulk SQL (the kept balances are then set from the ledger in one statement and
checked); the measured writes go through the app's one ledger writer.

Measured, per look-up, in milliseconds (p50 / p95 over the same random members, each way after
an untimed pass that warms MariaDB's buffer pool):

- kept:   wangge_app.volunteer.points.get_kept_balance, a primary-key read of the member row
- SUM:    wangge_app.volunteer.points.sum_ledger_balance, SUM(points) over the member's entries
          (the way ERPNext computes a Loyalty Point Entry balance), using the member index
- write:  make_points_entry + commit (row lock, insert, balance update)

Usage: python dev/bench_points.py SITE [--members N] [--entries N] [--samples N]
(run from the bench's sites folder, as `make benchmark` does).
"""

import argparse
import random
import statistics
import sys
import time

import frappe

MEMBER = "In-service Party Member"
ENTRY = "Volunteer Points Entry"
WORK_UNIT = "基准测试单位"


def main() -> None:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("site")
	parser.add_argument("--members", type=int, default=10_000)
	parser.add_argument("--entries", type=int, default=1_000_000)
	parser.add_argument("--samples", type=int, default=2_000)
	args = parser.parse_args()

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	try:
		run(args)
	finally:
		frappe.destroy()


def run(args) -> None:
	from wangge_app.volunteer import points

	rng = random.Random(20260101)
	if frappe.db.count(MEMBER):
		sys.exit(f"bench_points: {args.site} already has members; the benchmark needs a fresh site")

	started = time.perf_counter()
	members = seed_members(args.members)
	print(f"seeded {len(members):,} members in {time.perf_counter() - started:.1f} s", flush=True)

	results = []
	for ledger_size in (args.members, args.entries):
		started = time.perf_counter()
		grow_ledger(members, ledger_size)
		print(
			f"ledger at {ledger_size:,} entries ({time.perf_counter() - started:.1f} s to seed)", flush=True
		)
		sample = [rng.choice(members) for _ in range(args.samples)]
		kept = measure(points.get_kept_balance, sample)
		summed = measure(points.sum_ledger_balance, sample)
		writes = [timed(write_one, points, member) for member in sample[:200]]
		entries_of_sample = frappe.db.sql(
			f"select count(*) from `tab{ENTRY}` where member in %s", [tuple(sample[:200])]
		)[0][0]
		results.append((ledger_size, kept, summed, writes, entries_of_sample / 200))

	started = time.perf_counter()
	mismatches = points.check_kept_balances()
	check_seconds = time.perf_counter() - started
	if mismatches:
		sys.exit(f"bench_points: kept balances differ from the ledger: {mismatches[:5]}")

	print()
	print(f"{'ledger entries':>15} {'entries/member':>15} {'kept p50':>9} {'kept p95':>9} {'SUM p50':>9} "
		f"{'SUM p95':>9} {'write p50':>10} {'write p95':>10}   (ms, {args.samples} look-ups)")  # fmt: skip
	for ledger_size, kept, summed, writes, per_member in results:
		print(
			f"{ledger_size:>15,} {per_member:>15.0f} {p(kept, 50):>9.3f} {p(kept, 95):>9.3f} {p(summed, 50):>9.3f} "
			f"{p(summed, 95):>9.3f} {p(writes, 50):>10.3f} {p(writes, 95):>10.3f}"
		)
	print(f"\nfull recompute check (check_kept_balances) over {frappe.db.count(ENTRY):,} entries: "
		f"{check_seconds:.2f} s, no differences")  # fmt: skip


def seed_members(count: int) -> list[str]:
	"""Bulk-insert `count` members in one statement (MariaDB's SEQUENCE engine numbers the rows)."""
	work_unit = frappe.get_doc(
		{"doctype": "Work Unit", "unit_name": WORK_UNIT, "unit_type": "Government Office"}
	).insert()
	frappe.db.sql(
		f"""insert into `tab{MEMBER}` (name, creation, modified, owner, modified_by, full_name, mobile, work_unit,
			registration_date, status, points_balance, activity_count)
		select concat('PM-B', lpad(seq, 6, '0')), now(6), now(6), 'Administrator', 'Administrator',
			concat('党员', seq), concat('139', lpad(seq, 8, '0')), %s, '2020-01-01', 'In Service', 0, 0
		from seq_1_to_{int(count)}""",
		work_unit.name,
	)
	frappe.db.commit()
	return [f"PM-B{number:06d}" for number in range(1, count + 1)]


def grow_ledger(members: list[str], size: int) -> None:
	"""Add entries until the ledger has `size`: one for every member first, then to random members.

	Bulk SQL in one statement; the kept balances are then set from the ledger (and checked at the end).
	"""
	from wangge_app.demo.volunteer import set_kept_balances_from_ledger

	existing = frappe.db.count(ENTRY)
	if existing >= size:
		return
	frappe.db.sql(
		f"""insert into `tab{ENTRY}` (name, creation, modified, owner, modified_by, member, points, entry_type,
			posting_date, voucher_type, voucher_no)
		select concat('B', lpad(seq, 9, '0')), now(6), now(6), 'Administrator', 'Administrator',
			concat('PM-B', lpad(if(seq < %(members)s, seq + 1, 1 + floor(rand(seq) * %(members)s)), 6, '0')),
			1 + (seq mod 3), 'Earned', '2025-01-01', 'Work Unit', %(work_unit)s
		from seq_{int(existing)}_to_{int(size) - 1}""",
		{"members": len(members), "work_unit": WORK_UNIT},
	)
	set_kept_balances_from_ledger()
	frappe.db.commit()


def write_one(points, member: str) -> None:
	points.make_points_entry(member, 1, points.ADJUSTMENT, "Work Unit", WORK_UNIT)
	frappe.db.commit()


def measure(function, sample: list[str]) -> list[float]:
	"""Time `function` for each member of the sample, after one untimed pass to warm the caches."""
	for member in sample:
		function(member)
	return [timed(function, member) for member in sample]


def timed(function, *args) -> float:
	started = time.perf_counter()
	function(*args)
	return (time.perf_counter() - started) * 1000


def p(samples: list[float], percentile: int) -> float:
	return statistics.quantiles(samples, n=100)[percentile - 1]


if __name__ == "__main__":
	main()
