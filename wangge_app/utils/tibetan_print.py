# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Tibetan in the app's prints, drawn right and searchable once.

wkhtmltopdf (Qt) draws Tibetan with a Tibetan font but writes garbage into the PDF's text layer for the
stacked letters the font draws as one glyph (དྲ, ཞུ). So a Tibetan text is drawn here, shaped by
HarfBuzz (Pillow with libraqm) in Tibetan Machine Uni, as a picture, and its characters are written
under the picture, small and white, in Unifont, which draws each character as its own glyph: the PDF
shows the Tibetan as a person reads it and holds it once, copyable and searchable, as an OCR layer does
for a scan (`templates/print/tibetan_font.html` has the styles). Print formats call the Jinja method
`tibetan_text("English source")`, which translates with the app's bo translations.
"""

import base64
import functools
import io
import subprocess

import frappe
from frappe import _
from markupsafe import Markup, escape
from PIL import Image, ImageColor, ImageDraw, ImageFont, features

TIBETAN_FONT = "Tibetan Machine Uni"
# Drawn at this size in pixels and shown at the size of the text around it: sharp on paper.
DRAWN_SIZE = 64


@functools.cache
def tibetan_font_file() -> str | None:
	"""The Tibetan font's file (Debian's fonts-tibetan-machine, dev/setup.sh), or None."""
	try:
		listed = subprocess.run(
			["fc-list", f":family={TIBETAN_FONT}", "file"], capture_output=True, text=True, timeout=10
		).stdout
	except (OSError, subprocess.SubprocessError):
		return None
	files = sorted(line.strip().rstrip(":") for line in listed.splitlines() if line.strip())
	return files[0] if files else None


def tibetan_text(source: str, color: str = "#555555") -> Markup:
	"""Jinja method of the prints: the Tibetan of `source`, drawn, with its characters under the drawing."""
	text = _(source, lang="bo")
	picture = drawn_tibetan(text, color)
	if picture is None:
		# Without the font or HarfBuzz the text is written as it is: right on screen, garbled in a PDF.
		return Markup('<span class="bo-text"><span class="bo-written">{0}</span></span>').format(text)
	data_uri, height_em = picture
	return Markup(
		'<span class="bo-text"><img class="bo-drawn" src="{0}" style="height: {1:.3f}em" alt="">'
		'<span class="bo-layer">{2}</span></span>'
	).format(data_uri, height_em, escape(text))


@functools.lru_cache(maxsize=1024)
def drawn_tibetan(text: str, color: str) -> tuple[str, float] | None:
	"""(a PNG data URI of the text, its height in em), or None where it cannot be drawn here."""
	font_file = tibetan_font_file()
	if not font_file or not features.check("raqm"):
		frappe.log_error(
			title="Tibetan print text not drawn",
			message=f"Font {TIBETAN_FONT}: {font_file or 'not installed'}; libraqm: {features.check('raqm')}",
		)
		return None
	font = ImageFont.truetype(font_file, DRAWN_SIZE, layout_engine=ImageFont.Layout.RAQM)
	# The ink's box from the baseline: the font's own ascent and descent leave as much blank again.
	left, top, right, bottom = font.getbbox(text, language="bo", anchor="ls")
	width, height = max(1, right - left), max(1, bottom - top)
	picture = Image.new("RGBA", (width, height), (255, 255, 255, 0))
	ImageDraw.Draw(picture).text(
		(-left, -top), text, font=font, fill=ImageColor.getrgb(color), language="bo", anchor="ls"
	)
	png = io.BytesIO()
	# One colour and its edges: a 16-colour palette keeps a label to a few kilobytes.
	picture.quantize(colors=16, method=Image.Quantize.FASTOCTREE).save(png, format="PNG", optimize=True)
	data_uri = "data:image/png;base64," + base64.b64encode(png.getvalue()).decode()
	return data_uri, height / DRAWN_SIZE
