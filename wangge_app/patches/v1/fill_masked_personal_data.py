"""Personal data moved to permission level 1: fill the masked copies that other readers see."""

from wangge_app.utils.masking import fill_masks, mask_id_number, mask_phone


def execute():
	fill_masks(
		"Resident",
		{"id_number_masked": ("id_number", mask_id_number), "mobile_masked": ("mobile", mask_phone)},
	)
	fill_masks("Household", {"phone_masked": ("phone", mask_phone)})
	fill_masks("In-service Party Member", {"mobile_masked": ("mobile", mask_phone)})
