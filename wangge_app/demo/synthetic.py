# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Deterministic synthetic residents for demo and sample data (never real people)."""

import dataclasses
import datetime
import random
from dataclasses import dataclass

from wangge_app.utils.identity import GENDER_FEMALE, GENDER_MALE, id_check_character

TIBETAN = "藏族"
HAN = "汉族"
HUI = "回族"

CHENGGUAN_DISTRICT = "540102"  # 拉萨市城关区
# Other Tibet districts, then Sichuan, Chongqing, Gansu, Henan, Qinghai and Ningxia: where migrants often come from.
_OTHER_TIBET_REGIONS = (
	"540103", "540104", "540121", "540124", "540202", "540302", "540402", "540502", "540602",
)  # fmt: skip
_INLAND_REGIONS = ("510104", "510107", "500103", "500106", "620102", "410102", "630102", "640104")

# Common Tibetan given names; a full name is two of them.
_TIBETAN_NAMES = (
	"次仁", "扎西", "格桑", "旦增", "拉巴", "尼玛", "达瓦", "索朗", "平措", "德吉",
	"卓玛", "央金", "白玛", "曲珍", "顿珠", "多吉", "普布", "边巴", "米玛", "巴桑",
	"央宗", "拉姆", "琼达", "益西", "罗布", "桑珠", "贡嘎", "旺堆", "群培", "洛桑",
)  # fmt: skip
_TIBETAN_FEMALE_ENDINGS = ("卓玛", "央金", "曲珍", "央宗", "拉姆", "德吉", "琼达")
_TIBETAN_MALE_ENDINGS = (
	"顿珠", "多吉", "次仁", "扎西", "罗布", "平措", "旺堆", "群培", "桑珠", "贡嘎", "益西", "洛桑",
)  # fmt: skip
_TIBETAN_FIRST_PARTS = tuple(name for name in _TIBETAN_NAMES if name not in _TIBETAN_FEMALE_ENDINGS)

_HAN_SURNAMES = (
	"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱",
	"高", "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于",
	"董", "萧", "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕",
)  # fmt: skip
_HAN_MALE_GIVEN = (
	"伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华",
	"建", "国", "峰", "志", "宇", "浩", "文", "海", "波", "亮", "林", "东", "俊", "成", "龙",
)  # fmt: skip
_HAN_FEMALE_GIVEN = (
	"芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "英", "玲", "燕", "红", "梅", "琳",
	"婷", "雪", "慧", "洁", "莉", "萍", "颖", "倩", "佳", "欣", "月", "丹", "琴", "兰", "云",
)  # fmt: skip
_HUI_SURNAMES = ("马", "马", "马", "哈", "沙", "白", "纳", "穆")

_MOBILE_PREFIXES = (
	"139", "138", "136", "135", "189", "180", "177", "158", "152", "151", "133", "199", "187", "150", "173",
)  # fmt: skip


@dataclass(frozen=True)
class Person:
	full_name: str
	gender: str
	date_of_birth: datetime.date
	id_number: str
	ethnicity: str
	mobile: str


def _years_before(day: datetime.date, years: int) -> datetime.date:
	try:
		return day.replace(year=day.year - years)
	except ValueError:  # 29 February in a non-leap year
		return day.replace(year=day.year - years, day=28)


def random_date_of_birth(
	rng: random.Random, min_age: int, max_age: int, today: datetime.date
) -> datetime.date:
	"""Return a birth date giving an age (in whole years on `today`) between min_age and max_age inclusive."""
	if not 0 <= min_age <= max_age:
		raise ValueError(f"Invalid age range {min_age}..{max_age}")
	earliest = max(_years_before(today, max_age + 1) + datetime.timedelta(days=1), datetime.date(1900, 1, 1))
	latest = _years_before(today, min_age)
	return datetime.date.fromordinal(rng.randint(earliest.toordinal(), latest.toordinal()))


def tibetan_name(rng: random.Random, gender: str) -> str:
	if gender == GENDER_FEMALE:
		# Mostly a female ending, sometimes a unisex one such as 次仁白玛.
		endings = _TIBETAN_FEMALE_ENDINGS if rng.random() < 0.85 else ("白玛", "次仁", "尼玛", "达瓦", "普布")
	else:
		endings = _TIBETAN_MALE_ENDINGS
	first = rng.choice(_TIBETAN_FIRST_PARTS)
	second = rng.choice([name for name in endings if name != first])
	return first + second


def han_name(rng: random.Random, gender: str, surnames: tuple[str, ...] = _HAN_SURNAMES) -> str:
	own, other = _HAN_MALE_GIVEN, _HAN_FEMALE_GIVEN
	if gender == GENDER_FEMALE:
		own, other = other, own
	given = "".join(rng.choice(own if rng.random() < 0.85 else other) for _ in range(rng.choice((1, 2, 2))))
	return rng.choice(surnames) + given


def make_id_number(rng: random.Random, region: str, date_of_birth: datetime.date, gender: str) -> str:
	"""Return a valid identity number whose sequence digit parity matches `gender`."""
	gender_digit = rng.choice((1, 3, 5, 7, 9) if gender == GENDER_MALE else (0, 2, 4, 6, 8))
	first17 = f"{region}{date_of_birth:%Y%m%d}{rng.randint(0, 99):02d}{gender_digit}"
	return first17 + id_check_character(first17)


def make_mobile(rng: random.Random) -> str:
	return rng.choice(_MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"


def _region(rng: random.Random, ethnicity: str) -> str:
	roll = rng.random()
	local_share = 0.85 if ethnicity == TIBETAN else 0.6
	if roll < local_share:
		return CHENGGUAN_DISTRICT
	if ethnicity == TIBETAN or roll < local_share + 0.05:
		return rng.choice(_OTHER_TIBET_REGIONS)
	return rng.choice(_INLAND_REGIONS)


def make_person(rng: random.Random, *, min_age: int = 0, max_age: int = 95, today: datetime.date) -> Person:
	"""Return one synthetic resident; uniqueness of id and mobile is left to PersonFactory."""
	roll = rng.random()
	ethnicity = TIBETAN if roll < 0.70 else HAN if roll < 0.98 else HUI
	gender = rng.choice((GENDER_MALE, GENDER_FEMALE))
	date_of_birth = random_date_of_birth(rng, min_age, max_age, today)
	if ethnicity == TIBETAN:
		full_name = tibetan_name(rng, gender)
	else:
		full_name = han_name(rng, gender, _HUI_SURNAMES if ethnicity == HUI else _HAN_SURNAMES)
	return Person(
		full_name=full_name,
		gender=gender,
		date_of_birth=date_of_birth,
		id_number=make_id_number(rng, _region(rng, ethnicity), date_of_birth, gender),
		ethnicity=ethnicity,
		mobile=make_mobile(rng),
	)


class PersonFactory:
	"""Reproducible stream of synthetic people with identity and mobile numbers unique within the factory."""

	def __init__(self, seed: int, today: datetime.date) -> None:
		self.rng = random.Random(seed)
		self.today = today
		self._id_numbers: set[str] = set()
		self._mobiles: set[str] = set()

	def person(self, min_age: int = 0, max_age: int = 95) -> Person:
		person = make_person(self.rng, min_age=min_age, max_age=max_age, today=self.today)
		while person.id_number in self._id_numbers:
			region = person.id_number[:6]
			new_id = make_id_number(self.rng, region, person.date_of_birth, person.gender)
			person = dataclasses.replace(person, id_number=new_id)
		while person.mobile in self._mobiles:
			person = dataclasses.replace(person, mobile=make_mobile(self.rng))
		self._id_numbers.add(person.id_number)
		self._mobiles.add(person.mobile)
		return person
