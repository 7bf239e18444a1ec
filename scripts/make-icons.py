#!/usr/bin/env python3
"""Draws the app icon (a lectern on a rounded square) into src-tauri/icons/.

Pure standard library (zlib + struct), so it runs anywhere Python does.
Rerun after changing the drawing; the PNGs are committed.
"""
import math
import os
import struct
import zlib

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src-tauri", "icons")
SS = 4  # supersampling per axis, for anti-aliased edges

TOP = (0x3b, 0x5b, 0xdb)     # gradient, top
BOTTOM = (0x23, 0x36, 0x8f)  # gradient, bottom
INK = (0xff, 0xff, 0xff)


def inside_rounded_square(x, y, r=0.2, m=0.04):
    """Unit coordinates; rounded square with margin m and corner radius r."""
    lo, hi = m, 1 - m
    if x < lo or x > hi or y < lo or y > hi:
        return False
    cx = min(max(x, lo + r), hi - r)
    cy = min(max(y, lo + r), hi - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def inside_lectern(x, y):
    """A lectern: slanted reading desk, a column, a foot; plus a page line."""
    # desk: quadrilateral, top edge slanted (higher on the right)
    if 0.24 <= x <= 0.76:
        top = 0.30 - (x - 0.24) * 0.12
        if top <= y <= top + 0.10:
            return True
    # column, slightly tapering
    half = 0.075 - (y - 0.40) * 0.03
    if 0.40 <= y <= 0.76 and abs(x - 0.5) <= half:
        return True
    # foot
    if 0.76 <= y <= 0.82 and 0.30 <= x <= 0.70:
        return True
    return False


def pixel(px, py, size):
    acc = [0.0, 0.0, 0.0, 0.0]
    for sy in range(SS):
        for sx in range(SS):
            x = (px + (sx + 0.5) / SS) / size
            y = (py + (sy + 0.5) / SS) / size
            if not inside_rounded_square(x, y):
                continue
            if inside_lectern(x, y):
                c = INK
            else:
                c = tuple(TOP[i] + (BOTTOM[i] - TOP[i]) * y for i in range(3))
            acc[0] += c[0]
            acc[1] += c[1]
            acc[2] += c[2]
            acc[3] += 255
    n = SS * SS
    a = acc[3] / n
    if a == 0:
        return (0, 0, 0, 0)
    # colour channels are averaged over covered samples only (straight alpha)
    covered = acc[3] / 255
    return tuple(int(round(acc[i] / covered)) for i in range(3)) + (int(round(a)),)


def png(size):
    rows = []
    for py in range(size):
        row = bytearray([0])
        for px in range(size):
            row.extend(pixel(px, py, size))
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, size in [("32x32.png", 32), ("64x64.png", 64), ("128x128.png", 128),
                       ("128x128@2x.png", 256), ("icon.png", 512)]:
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(png(size))
        print("wrote", name)


if __name__ == "__main__":
    main()
