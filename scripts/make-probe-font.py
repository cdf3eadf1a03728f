#!/usr/bin/python3
"""Makes the protocol suite's probe font (tests/protocol/cases/bodies.ts, PROBE_FONT): the smallest
TrueType font the browsers' font sanitizers accept – two box glyphs, no hinting. Needs fontTools
(Debian: apt-get install python3-fonttools). Prints the font base64-encoded."""
import base64, io
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen

def box():
    pen = TTGlyphPen(None)
    pen.moveTo((100, 0)); pen.lineTo((100, 700)); pen.lineTo((500, 700)); pen.lineTo((500, 0)); pen.closePath()
    return pen.glyph()

fb = FontBuilder(1000, isTTF=True)
fb.setupGlyphOrder([".notdef", "A"])
fb.setupCharacterMap({0x41: "A"})
fb.setupGlyf({".notdef": box(), "A": box()})
fb.setupHorizontalMetrics({".notdef": (600, 100), "A": (600, 100)})
fb.setupHorizontalHeader(ascent=800, descent=-200)
fb.setupNameTable({"familyName": "CcProbe", "styleName": "Regular"})
fb.setupOS2(sTypoAscender=800, usWinAscent=800, usWinDescent=200)
fb.setupPost()
out = io.BytesIO()
fb.save(out)
print(base64.b64encode(out.getvalue()).decode())
