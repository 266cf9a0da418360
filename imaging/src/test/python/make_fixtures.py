#!/usr/bin/python3
"""Writes the tiny format fixtures under src/test/resources/formats (committed; rerun only to change them).

Run from imaging/: /usr/bin/python3 src/test/python/make_fixtures.py
- quadrants-exif-N.jpg: a 16x8 image with red, green / blue, white quadrants, EXIF orientation N (1..8)
- cmyk.jpg: a 16x8 CMYK JPEG (Adobe, as PIL writes it) of four inks; prints what PIL's convert("RGB") gives
- two-frames.gif: an 8x8 animation, a red frame then a blue one
- palette-alpha.png: an 8x8 palette PNG (left half red and opaque, right half green and fully transparent)
- pattern-lossless.webp: a 24x16 colour pattern; pattern.png is the same pattern losslessly;
  photo-lossy.webp: a 64x48 crop of scikit-image's chelsea.png at quality 90; photo-lossy.pil.png is what PIL (libwebp)
  decodes from it
"""

from PIL import Image, ImageOps

OUT = "src/test/resources/formats"

quadrants = Image.new("RGB", (16, 8))
for x in range(16):
    for y in range(8):
        quadrants.putpixel((x, y), [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 255)][(x >= 8) + 2 * (y >= 4)])
for orientation in range(1, 9):
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = f"{OUT}/quadrants-exif-{orientation}.jpg"
    quadrants.save(path, quality=95, exif=exif.tobytes())
    shown = ImageOps.exif_transpose(Image.open(path))
    w, h = shown.size
    print(orientation, shown.size, [shown.getpixel(p) for p in [(1, 1), (w - 2, 1), (1, h - 2), (w - 2, h - 2)]])

pattern = Image.new("RGB", (24, 16))
for x in range(24):
    for y in range(16):
        pattern.putpixel((x, y), ((x * 11 + y * 3) % 256, (x * x + 5 * y) % 256, (x * y * 7) % 256))
pattern.save(f"{OUT}/pattern.png")
pattern.save(f"{OUT}/pattern-lossless.webp", lossless=True)
photo = Image.open("/usr/lib/python3/dist-packages/skimage/data/chelsea.png").convert("RGB").crop((180, 80, 244, 128))
photo.save(f"{OUT}/photo-lossy.webp", quality=90)
Image.open(f"{OUT}/photo-lossy.webp").convert("RGB").save(f"{OUT}/photo-lossy.pil.png")

cmyk = Image.new("CMYK", (16, 8))
for x in range(16):
    for y in range(8):
        cmyk.putpixel((x, y), [(10, 200, 30, 40), (0, 0, 0, 0), (255, 0, 0, 0), (30, 60, 90, 120)][(x >= 8) + 2 * (y >= 4)])
cmyk.save(f"{OUT}/cmyk.jpg", quality=95)
decoded = Image.open(f"{OUT}/cmyk.jpg")
print("cmyk", decoded.mode, [decoded.convert("RGB").getpixel(p) for p in [(3, 2), (12, 2), (3, 6), (12, 6)]])

frames = [Image.new("RGB", (8, 8), colour) for colour in [(255, 0, 0), (0, 0, 255)]]
frames[0].save(f"{OUT}/two-frames.gif", save_all=True, append_images=frames[1:], duration=100, loop=0)
palette = Image.new("P", (8, 8))
palette.putpalette([255, 0, 0, 0, 255, 0])
for x in range(4, 8):
    for y in range(8):
        palette.putpixel((x, y), 1)
palette.save(f"{OUT}/palette-alpha.png", transparency=1)
for name in ["two-frames.gif", "palette-alpha.png"]:
    shown = Image.open(f"{OUT}/{name}")
    print(name, shown.mode, getattr(shown, "n_frames", 1), [shown.convert("RGB").getpixel(p) for p in [(1, 1), (6, 6)]])
