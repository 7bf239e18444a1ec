#!/usr/bin/env python3
"""Generate the speaker photos of the sample site.

Every speaker photo referenced by the sample sessions
(`<img src="images/speaker/<slug>.png" ...><br>Name: ...` in the English
files) becomes a 400x400 PNG avatar: a background colour derived from the slug,
a soft geometric shape, and the speaker's initials drawn with an anti-aliased
stroke font. Only the standard library is used (zlib + struct write the PNG),
so the script runs anywhere Python 3 does.

One photo is left out on purpose (see MISSING) so that `lectern check` has a
`photo-missing` problem to show.

Usage: python3 assets/tools/make-avatars.py [SITE_DIR]
"""

import colorsys
import hashlib
import math
import pathlib
import re
import struct
import sys
import zlib

SIZE = 400
# Left out on purpose: the sample site's deliberate `photo-missing` problem.
MISSING = {"yutong-sun"}

# Stroke font: each glyph is (advance width, list of polylines) in a box whose
# height is 1 (y grows downwards). Curves are sampled arcs.


def arc(cx, cy, rx, ry, a0, a1, n=18):
    """Points on an elliptical arc from angle a0 to a1 (degrees, 0 = right, 90 = down)."""
    return [
        (cx + rx * math.cos(math.radians(a0 + (a1 - a0) * i / n)),
         cy + ry * math.sin(math.radians(a0 + (a1 - a0) * i / n)))
        for i in range(n + 1)
    ]


GLYPHS = {
    "A": (0.72, [[(0, 1), (0.36, 0), (0.72, 1)], [(0.13, 0.64), (0.59, 0.64)]]),
    "B": (0.62, [[(0, 0.5), (0, 0), (0.3, 0)] + arc(0.3, 0.25, 0.25, 0.25, 270, 450) + [(0, 0.5)],
                 [(0, 0.5), (0.32, 0.5)] + arc(0.32, 0.75, 0.28, 0.25, 270, 450) + [(0, 1), (0, 0.5)]]),
    "C": (0.7, [arc(0.38, 0.5, 0.38, 0.5, -42, -318, 28)]),
    "D": (0.68, [[(0.28, 0), (0, 0), (0, 1), (0.28, 1)] + arc(0.28, 0.5, 0.4, 0.5, 90, -90, 24)]),
    "E": (0.58, [[(0.58, 0), (0, 0), (0, 1), (0.58, 1)], [(0, 0.5), (0.48, 0.5)]]),
    "F": (0.56, [[(0.56, 0), (0, 0), (0, 1)], [(0, 0.5), (0.46, 0.5)]]),
    "G": (0.74, [arc(0.38, 0.5, 0.38, 0.5, -42, -360, 30) + [(0.76, 0.55), (0.42, 0.55)]]),
    "H": (0.66, [[(0, 0), (0, 1)], [(0.66, 0), (0.66, 1)], [(0, 0.5), (0.66, 0.5)]]),
    "I": (0.0, [[(0, 0), (0, 1)]]),
    "J": (0.56, [[(0.56, 0), (0.56, 0.7)] + arc(0.3, 0.7, 0.26, 0.3, 0, 180)]),
    "K": (0.62, [[(0, 0), (0, 1)], [(0.62, 0), (0, 0.62)], [(0.2, 0.44), (0.64, 1)]]),
    "L": (0.54, [[(0, 0), (0, 1), (0.54, 1)]]),
    "M": (0.82, [[(0, 1), (0, 0), (0.41, 0.66), (0.82, 0), (0.82, 1)]]),
    "N": (0.66, [[(0, 1), (0, 0), (0.66, 1), (0.66, 0)]]),
    "O": (0.78, [arc(0.39, 0.5, 0.39, 0.5, 0, 360, 36)]),
    "P": (0.6, [[(0, 1), (0, 0), (0.32, 0)] + arc(0.32, 0.27, 0.28, 0.27, 270, 450) + [(0, 0.54)]]),
    "Q": (0.78, [arc(0.39, 0.5, 0.39, 0.5, 0, 360, 36), [(0.5, 0.72), (0.8, 1.02)]]),
    "R": (0.62, [[(0, 1), (0, 0), (0.32, 0)] + arc(0.32, 0.27, 0.28, 0.27, 270, 450) + [(0, 0.54)],
                 [(0.3, 0.54), (0.64, 1)]]),
    "S": (0.62, [arc(0.31, 0.25, 0.29, 0.25, -25, -270, 16) + arc(0.31, 0.75, 0.31, 0.25, -90, 155, 18)]),
    "T": (0.64, [[(0, 0), (0.64, 0)], [(0.32, 0), (0.32, 1)]]),
    "U": (0.64, [[(0, 0), (0, 0.66)] + arc(0.32, 0.66, 0.32, 0.34, 180, 0) + [(0.64, 0)]]),
    "V": (0.7, [[(0, 0), (0.35, 1), (0.7, 0)]]),
    "W": (0.92, [[(0, 0), (0.21, 1), (0.46, 0.3), (0.71, 1), (0.92, 0)]]),
    "X": (0.66, [[(0, 0), (0.66, 1)], [(0.66, 0), (0, 1)]]),
    "Y": (0.68, [[(0, 0), (0.34, 0.52), (0.68, 0)], [(0.34, 0.52), (0.34, 1)]]),
    "Z": (0.6, [[(0, 0), (0.6, 0), (0, 1), (0.6, 1)]]),
}


def initials(name):
    """'Diego Fernández' -> 'DF' (ASCII letters of the first and last word)."""
    words = [w for w in re.split(r"[\s\-]+", name) if w]
    picks = [words[0], words[-1]] if len(words) > 1 else words[:1]
    out = ""
    for w in picks:
        c = w[0].upper()
        out += c if c in GLYPHS else ""
    return out or "?"


def hsl(h, s, l):
    r, g, b = colorsys.hls_to_rgb(h % 1.0, l, s)
    return (round(r * 255), round(g * 255), round(b * 255))


def mix(a, b, t):
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def render(slug, name, index):
    """The avatar as rows of RGB bytes; `index` spreads the hues (golden-ratio steps)."""
    digest = hashlib.sha256(slug.encode()).digest()
    hue = (0.03 + index * 0.618034) % 1.0
    variant = digest[1] % 3
    bg = hsl(hue, 0.45, 0.46)
    shade = hsl(hue, 0.5, 0.56)
    accent = hsl(hue + 0.5, 0.55, 0.62)
    ink = (255, 255, 255)

    # Coverage of the background shape per pixel, with 4x4 supersampled edges.
    def shape(x, y):
        if variant == 0:  # a large soft disc
            return math.hypot(x - 200, y - 215) <= 170
        if variant == 1:  # a diagonal split
            return x + y >= 430
        return 120 <= math.hypot(x - 200, y - 200) <= 185  # a ring

    def accent_shape(x, y):
        return math.hypot(x - 330, y - 70) <= 34

    pixels = [[bg] * SIZE for _ in range(SIZE)]
    for y in range(SIZE):
        row = pixels[y]
        for x in range(SIZE):
            a = shape(x + 0.5, y + 0.5)
            # Only pixels near an edge get supersampled.
            if a != shape(x - 1, y) or a != shape(x + 2, y) or a != shape(x, y - 1) or a != shape(x, y + 2):
                cov = sum(shape(x + (i + 0.5) / 4, y + (j + 0.5) / 4) for i in range(4) for j in range(4)) / 16
            else:
                cov = 1.0 if a else 0.0
            c = mix(bg, shade, cov) if cov else bg
            if 290 <= x <= 370 and 30 <= y <= 110:
                acov = sum(accent_shape(x + (i + 0.5) / 4, y + (j + 0.5) / 4) for i in range(4) for j in range(4)) / 16
                if acov:
                    c = mix(c, accent, acov)
            row[x] = c

    # Initials: strokes of width `pen`, letters `height` tall, centred.
    text = initials(name)
    height, pen, gap = 132.0, 19.0, 0.3
    widths = [GLYPHS[c][0] for c in text]
    total = (sum(widths) + gap * (len(text) - 1)) * height
    x0 = (SIZE - total) / 2
    y0 = (SIZE - height) / 2 + 6
    cover = {}
    for c in text:
        w, lines = GLYPHS[c]
        for line in lines:
            pts = [(x0 + px * height, y0 + py * height) for px, py in line]
            for (ax, ay), (bx, by) in zip(pts, pts[1:]):
                stroke(cover, ax, ay, bx, by, pen / 2)
        x0 += (w + gap) * height
    for (x, y), cov in cover.items():
        if 0 <= x < SIZE and 0 <= y < SIZE:
            pixels[y][x] = mix(pixels[y][x], ink, cov)
    return pixels


def stroke(cover, ax, ay, bx, by, r):
    """Add an anti-aliased capsule from a to b with radius r to `cover`."""
    dx, dy = bx - ax, by - ay
    ll = dx * dx + dy * dy
    for y in range(int(min(ay, by) - r - 1), int(max(ay, by) + r + 2)):
        for x in range(int(min(ax, bx) - r - 1), int(max(ax, bx) + r + 2)):
            px, py = x + 0.5, y + 0.5
            t = 0.0 if ll == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / ll))
            d = math.hypot(px - (ax + t * dx), py - (ay + t * dy))
            cov = max(0.0, min(1.0, r - d + 0.5))
            if cov > cover.get((x, y), 0.0):
                cover[(x, y)] = cov


def png(pixels):
    """Encode RGB rows as a PNG file."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    raw = bytearray()
    prev = bytes(SIZE * 3)
    for row in pixels:
        line = bytes(v for px in row for v in px)
        # Filter "Up" (2): flat colour regions repeat row to row and compress to almost nothing.
        raw.append(2)
        raw.extend((a - b) & 0xFF for a, b in zip(line, prev))
        prev = line
    ihdr = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b"")


def speakers(site):
    """slug -> name for every photo the English session files reference."""
    found = {}
    pat = re.compile(r'<img src="images/speaker/([a-z0-9-]+)\.png"[^>]*><br>([^:\n]+):')
    for f in sorted((site / "content" / "sessions").glob("*.md")):
        if f.name.count(".") > 1:  # translations name the same people
            continue
        for slug, name in pat.findall(f.read_text(encoding="utf-8-sig")):
            found.setdefault(slug, name.strip())
    return found


def main():
    site = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent.parent / "sample-site"
    out = site / "static" / "images" / "speaker"
    out.mkdir(parents=True, exist_ok=True)
    for index, (slug, name) in enumerate(sorted(speakers(site).items())):
        if slug in MISSING:
            print(f"skip  {slug} (missing on purpose)")
            continue
        data = png(render(slug, name, index))
        (out / f"{slug}.png").write_bytes(data)
        print(f"wrote {slug}.png  {initials(name):2}  {len(data)} bytes")


if __name__ == "__main__":
    main()
