# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Validation of PRC resident identity numbers (GB 11643-1999) and mainland mobile numbers.

Pure Python so it can be used (and tested) without Frappe; the Frappe layer maps `reason` to messages.
"""

import datetime
import re
from dataclasses import dataclass

REASON_LENGTH = "length"
REASON_CHARACTERS = "characters"
REASON_REGION = "region"
REASON_BIRTH_DATE = "birth_date"
REASON_CHECKSUM = "checksum"

GENDER_MALE = "Male"
GENDER_FEMALE = "Female"

PROVINCE_CODES = frozenset(
	{
		"11", "12", "13", "14", "15",
		"21", "22", "23",
		"31", "32", "33", "34", "35", "36", "37",
		"41", "42", "43", "44", "45", "46",
		"50", "51", "52", "53", "54",
		"61", "62", "63", "64", "65",
		"71", "81", "82",
	}
)  # fmt: skip

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_EARLIEST_BIRTH_DATE = datetime.date(1900, 1, 1)

# Explicit ASCII classes: str.isdigit() would also accept full-width and other Unicode digits.
_ID_PATTERN = re.compile(r"[0-9]{17}[0-9X]")
_FIRST17_PATTERN = re.compile(r"[0-9]{17}")
_MOBILE_PATTERN = re.compile(r"1[3-9][0-9]{9}")
_MOBILE_SEPARATORS = re.compile(r"[\s-]+")


class InvalidIdNumber(ValueError):
	"""Raised for an invalid identity number; `reason` is one of the REASON_* constants."""

	def __init__(self, reason: str, message: str | None = None) -> None:
		self.reason = reason
		super().__init__(message or f"Invalid identity number ({reason})")


class InvalidMobile(ValueError):
	"""Raised for a string that is not a mainland China mobile number."""


@dataclass(frozen=True)
class IdNumberInfo:
	id_number: str
	date_of_birth: datetime.date
	gender: str


def id_check_character(first17: str) -> str:
	"""Return the ISO 7064 MOD 11-2 check character for the first 17 digits of an identity number."""
	if len(first17) != 17:
		raise InvalidIdNumber(REASON_LENGTH)
	if not _FIRST17_PATTERN.fullmatch(first17):
		raise InvalidIdNumber(REASON_CHARACTERS)
	total = sum(int(digit) * weight for digit, weight in zip(first17, _WEIGHTS, strict=True))
	return _CHECK_CHARS[total % 11]


def parse_id_number(id_number: str, *, today: datetime.date | None = None) -> IdNumberInfo:
	"""Validate an 18-character identity number and return it normalised with birth date and gender.

	`today` (default: the current date) bounds the birth date from above.
	"""
	value = (id_number or "").strip().upper()
	if len(value) != 18:
		raise InvalidIdNumber(REASON_LENGTH)
	if not _ID_PATTERN.fullmatch(value):
		raise InvalidIdNumber(REASON_CHARACTERS)
	if value[:2] not in PROVINCE_CODES:
		raise InvalidIdNumber(REASON_REGION)

	try:
		date_of_birth = datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
	except ValueError:
		raise InvalidIdNumber(REASON_BIRTH_DATE) from None
	if not _EARLIEST_BIRTH_DATE <= date_of_birth <= (today or datetime.date.today()):
		raise InvalidIdNumber(REASON_BIRTH_DATE)

	if id_check_character(value[:17]) != value[17]:
		raise InvalidIdNumber(REASON_CHECKSUM)

	gender = GENDER_MALE if int(value[16]) % 2 else GENDER_FEMALE
	return IdNumberInfo(id_number=value, date_of_birth=date_of_birth, gender=gender)


def normalize_mobile(mobile: str) -> str:
	"""Return the bare 11-digit form of a mainland mobile number written with optional +86/0086/86 prefix."""
	value = _MOBILE_SEPARATORS.sub("", mobile or "")
	if value.startswith("+86"):
		value = value[3:]
	elif value.startswith("0086"):
		value = value[4:]
	elif value.startswith("86") and len(value) == 13:
		# Only strip a bare "86" when the rest is 11 digits long; otherwise it is not a prefix.
		value = value[2:]
	if not _MOBILE_PATTERN.fullmatch(value):
		raise InvalidMobile(f"Invalid mobile number: {mobile!r}")
	return value
