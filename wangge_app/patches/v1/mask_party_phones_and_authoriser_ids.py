"""A dispute party's phone and an authoriser's ID number moved behind permission level 1 (prints and
forms follow field permissions): fill the masked copies that other readers see."""

from wangge_app.utils.masking import fill_masks, mask_id_number, mask_phone


def execute():
	fill_masks("Dispute Case Party", {"phone_masked": ("phone", mask_phone)})
	fill_masks(
		"Assisted Service Request", {"authoriser_id_number_masked": ("authoriser_id_number", mask_id_number)}
	)
