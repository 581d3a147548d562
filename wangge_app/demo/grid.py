# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The sample community 幸福社区: grid tree, grid workers, households and their residents.

Five grids of two or three micro-grids each; every micro-grid covers a block of buildings
of one residential compound (小区). Households are drawn per building, their residents
per household type, and the household flags follow from the residents.
"""

import dataclasses

import frappe

from wangge_app.demo import demo_email, make_user
from wangge_app.demo.synthetic import HAN, HUI, TIBETAN, Person, PersonFactory, han_name
from wangge_app.grid.doctype.resident.resident import ELDERLY_AGE, age_on
from wangge_app.roles import GRID_WORKER
from wangge_app.utils.identity import GENDER_FEMALE, GENDER_MALE

COMMUNITY_CODE = "XF"
COMMUNITY_NAME = "幸福社区"
COMMUNITY_PARTY_BRANCH = "幸福社区党委"
SERVICE_HOTLINE = "0891-6335012"

_ORDINALS = "一二三四五六七八九十"

# Per grid, the blocks of its micro-grids: (compound, first building, last building).
LAYOUT = (
	(("幸福小区", 1, 3), ("幸福小区", 4, 6)),
	(("阳光花园", 1, 4), ("阳光花园", 5, 8), ("康居苑", 1, 3)),
	(("雪域家园", 1, 3), ("雪域家园", 4, 6), ("吉祥苑", 1, 2)),
	(("团结新村", 1, 4), ("团结新村", 5, 8)),
	(("格桑花园", 1, 3), ("格桑花园", 4, 6), ("和美家园", 1, 4)),
)
HOUSEHOLDS_PER_BUILDING = (6, 10)

# Household types with their weights; see _members() for who lives in each.
HOUSEHOLD_TYPES = {
	"elderly_alone": 7,
	"elderly_couple": 9,
	"young_family": 14,
	"school_family": 24,
	"three_generations": 16,
	"adult_children": 14,
	"renters": 10,
	"couple": 6,
}
CHILD_UNDER = 6
ADULT_AGE = 18


@dataclasses.dataclass
class Member:
	person: Person
	age: int
	is_party_member: bool = False
	has_disability: bool = False
	mobile: str | None = None


def make_sample_community(factory: PersonFactory) -> dict:
	"""Create the community, its grids and micro-grids with their workers, and the registry."""
	rng = factory.rng
	community = insert_grid(
		COMMUNITY_CODE,
		COMMUNITY_NAME,
		"Community",
		party_branch=COMMUNITY_PARTY_BRANCH,
		service_hotline=SERVICE_HOTLINE,
	)
	summary = {"community": community.name, "grids": {}}
	card_numbers = iter(range(1, 10_000))

	for grid_no, blocks in enumerate(LAYOUT, start=1):
		ordinal = f"第{_ORDINALS[grid_no - 1]}网格"
		worker = make_grid_worker(factory, f"gridworker{grid_no}")
		grid = insert_grid(
			f"{COMMUNITY_CODE}-{grid_no:02d}",
			f"{COMMUNITY_NAME}{ordinal}",
			"Grid",
			parent=community.name,
			party_branch=f"{ordinal}党支部",
			workers=[{"user": worker.name, "full_time": 1}],
		)
		grid_summary = {"worker": worker.name, "micro_grids": {}, "households": 0, "residents": 0}

		for micro_no, (compound, first, last) in enumerate(blocks, start=1):
			micro_worker = make_grid_worker(factory, f"gridworker{grid_no}-{micro_no}")
			micro_grid = insert_grid(
				f"{grid.name}-{micro_no:02d}",
				f"{ordinal}{micro_no}号微网格（{compound}{first}-{last}栋）",
				"Micro-grid",
				parent=grid.name,
				party_branch=f"{ordinal}党支部第{_ORDINALS[micro_no - 1]}党小组",
				workers=[{"user": micro_worker.name, "full_time": 0}],
			)
			households = residents = 0
			for building_no in range(first, last + 1):
				building = f"{compound}{building_no}栋"
				for unit, room in pick_flats(rng):
					members = insert_household(factory, micro_grid.name, building, unit, room, card_numbers)
					households += 1
					residents += members
			grid_summary["micro_grids"][micro_grid.name] = {
				"worker": micro_worker.name,
				"households": households,
				"residents": residents,
			}
			grid_summary["households"] += households
			grid_summary["residents"] += residents
		summary["grids"][grid.name] = grid_summary

	summary["households"] = sum(grid["households"] for grid in summary["grids"].values())
	summary["residents"] = sum(grid["residents"] for grid in summary["grids"].values())
	return summary


def insert_grid(code: str, name: str, level: str, parent: str | None = None, workers=(), **fields):
	return frappe.get_doc(
		{
			"doctype": "Grid",
			"grid_code": code,
			"grid_name": name,
			"grid_level": level,
			"parent_grid": parent,
			"grid_workers": list(workers),
			**fields,
		}
	).insert()


def make_grid_worker(factory: PersonFactory, local_part: str):
	person = factory.person(min_age=24, max_age=50)
	return make_user(demo_email(local_part), person.full_name, [GRID_WORKER], person.mobile)


def pick_flats(rng) -> list[tuple[str, str]]:
	"""Registered flats of one building as (unit, room): 2–3 units, 5–7 floors, 2 flats a floor."""
	units, floors = rng.choice((2, 2, 3)), rng.choice((5, 6, 6, 7))
	flats = [
		(unit, floor * 100 + flat)
		for unit in range(1, units + 1)
		for floor in range(1, floors + 1)
		for flat in (1, 2)
	]
	chosen = sorted(rng.sample(flats, rng.randint(*HOUSEHOLDS_PER_BUILDING)))
	return [(str(unit), str(room)) for unit, room in chosen]


def insert_household(
	factory: PersonFactory, grid: str, building: str, unit: str, room: str, card_numbers
) -> int:
	"""Insert one household with its residents; return the number of residents."""
	rng = factory.rng
	kind = rng.choices(list(HOUSEHOLD_TYPES), weights=list(HOUSEHOLD_TYPES.values()))[0]
	members = _members(factory, kind)
	head = members[0]
	phone = next((member.mobile for member in members if member.mobile), None)
	if not phone or rng.random() < 0.05:
		phone = f"0891-6{rng.randint(0, 999_999):06d}"

	household = frappe.get_doc(
		{
			"doctype": "Household",
			"grid": grid,
			"building": building,
			"unit": unit,
			"room": room,
			"phone": phone,
			"contact_card_no": f"{COMMUNITY_CODE}-{next(card_numbers):04d}",
			"elderly_living_alone": int(len(members) == 1 and head.age >= ELDERLY_AGE),
			"has_children_under_6": int(any(member.age < CHILD_UNDER for member in members)),
			"has_party_member": int(any(member.is_party_member for member in members)),
			"renter": int(kind == "renters" or (kind == "young_family" and rng.random() < 0.2)),
			"low_income": int(rng.random() < (0.25 if kind == "elderly_alone" else 0.05)),
		}
	).insert()

	names = []
	for member in members:
		resident = frappe.get_doc(
			{
				"doctype": "Resident",
				"full_name": member.person.full_name,
				"id_number": member.person.id_number,
				"ethnicity": member.person.ethnicity,
				"mobile": member.mobile,
				"household": household.name,
				"is_party_member": int(member.is_party_member),
				"has_disability": int(member.has_disability),
			}
		).insert()
		names.append(resident.name)

	household.head_of_household = names[0]
	# Completing a record just created: no version entry for it.
	household.save(ignore_version=True)
	return len(members)


def _members(factory: PersonFactory, kind: str) -> list[Member]:
	"""The residents of one household of the given type, head of household first."""
	rng = factory.rng
	draw = _Drawer(factory)
	if kind == "elderly_alone":
		people = [draw(65, 92, GENDER_FEMALE if rng.random() < 0.6 else GENDER_MALE)]
	elif kind == "elderly_couple":
		head = draw(62, 88, _head_gender(rng))
		people = [head, draw.spouse(head)]
	elif kind == "young_family":
		head = draw(26, 38, _head_gender(rng))
		people = [head, draw.spouse(head)]
		people.append(draw.child(people, 0, CHILD_UNDER - 1))
		if rng.random() < 0.3:
			people.append(draw.child(people, 0, 9))
	elif kind == "school_family":
		head = draw(34, 50, _head_gender(rng))
		people = [head, draw.spouse(head)]
		for _ in range(rng.choice((1, 1, 2))):
			people.append(draw.child(people, 6, 17))
	elif kind == "three_generations":
		head = draw(30, 45, _head_gender(rng))
		people = [head, draw.spouse(head)]
		people.append(draw.child(people, 0, 12))
		people.insert(1, draw.parent_of(head))
	elif kind == "adult_children":
		head = draw(46, 62, _head_gender(rng))
		people = [head, draw.spouse(head)]
		for _ in range(rng.choice((1, 1, 2))):
			people.append(draw.child(people, 18, 32))
	elif kind == "renters":
		head = draw(20, 40, ethnicity=HAN if rng.random() < 0.6 else None)
		people = [head, draw.spouse(head) if rng.random() < 0.6 else draw(20, 40)]
	else:  # a couple without children at home
		head = draw(25, 59, _head_gender(rng))
		people = [head, draw.spouse(head)]

	return [_member(rng, person, age_on(person.date_of_birth, factory.today)) for person in people]


def _member(rng, person: Person, age: int) -> Member:
	party_chance = 0 if age < ADULT_AGE else 0.09 if age < 45 else 0.18
	disability_chance = 0.06 if age >= 70 else 0.015
	keeps_mobile = age >= 16 and (age < 80 or rng.random() < 0.5)
	return Member(
		person=person,
		age=age,
		is_party_member=rng.random() < party_chance,
		has_disability=rng.random() < disability_chance,
		mobile=person.mobile if keeps_mobile else None,
	)


def _head_gender(rng) -> str:
	return GENDER_MALE if rng.random() < 0.7 else GENDER_FEMALE


def _age(factory: PersonFactory, person: Person) -> int:
	return age_on(person.date_of_birth, factory.today)


class _Drawer:
	"""Draws people from the factory until one fits the gender, ethnicity and age wanted."""

	MAX_TRIES = 500

	def __init__(self, factory: PersonFactory) -> None:
		self.factory = factory
		self.rng = factory.rng

	def __call__(self, min_age: int, max_age: int, gender: str | None = None, ethnicity: str | None = None):
		for _ in range(self.MAX_TRIES):
			person = self.factory.person(min_age=min_age, max_age=max_age)
			if gender in (None, person.gender) and ethnicity in (None, person.ethnicity):
				return person
		return person

	def spouse(self, head: Person) -> Person:
		age = _age(self.factory, head)
		gender = GENDER_FEMALE if head.gender == GENDER_MALE else GENDER_MALE
		# Mostly the same ethnicity; mixed marriages happen too.
		ethnicity = head.ethnicity if self.rng.random() < 0.9 else None
		return self(max(age - 6, 21), age + 3, gender, ethnicity)

	def parent_of(self, person: Person) -> Person:
		age = _age(self.factory, person)
		return self(max(age + 22, ELDERLY_AGE), min(age + 40, 95), ethnicity=person.ethnicity)

	def child(self, parents: list[Person], min_age: int, max_age: int) -> Person:
		"""A child of the couple among `parents`, at least 20 years younger than either of them."""
		couple = parents[:2]
		youngest = min(_age(self.factory, parent) for parent in couple)
		max_age = max(min(max_age, youngest - 20), min_age)
		head = couple[0]
		child = self(min_age, max_age, ethnicity=head.ethnicity if head.ethnicity == TIBETAN else None)
		if head.ethnicity in (HAN, HUI):
			# Children of Han and Hui families carry the father's surname.
			father = next((parent for parent in couple if parent.gender == GENDER_MALE), head)
			surname = father.full_name[0] if father.ethnicity in (HAN, HUI) else head.full_name[0]
			child = dataclasses.replace(
				child, full_name=han_name(self.rng, child.gender, (surname,)), ethnicity=head.ethnicity
			)
		return child
