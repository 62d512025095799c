#!/usr/bin/env bash
# Real photographs for the re-upload bench (bench/reupload-eval.ts): the openly licensed sample pictures that ship
# inside the scikit-image wheel on PyPI (public domain or CC0; each picture's licence is listed in
# bench/real-photos.ts). Fetched at bench time with pip (no dependencies installed, nothing imported), unpacked into
# .bench/photos/; nothing third-party is committed. Idempotent: does nothing when the pictures are there.
set -euo pipefail
cd "$(dirname "$0")/.."
DEST=.bench/photos
VERSION=0.26.0
FILES=(astronaut.png camera.png chelsea.png coffee.png coins.png hubble_deep_field.jpg rocket.jpg retina.jpg text.png clock_motion.png brick.png grass.png gravel.png ihc.png cell.png)
if [ -f "$DEST/.done-$VERSION" ]; then exit 0; fi
mkdir -p "$DEST"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PY=$(command -v python3 || command -v python)
"$PY" -m pip download "scikit-image==$VERSION" --no-deps --only-binary=:all: -d "$TMP" -q
"$PY" - "$TMP" "$DEST" "${FILES[@]}" <<'PYEOF'
import glob, os, sys, zipfile
tmp, dest, names = sys.argv[1], sys.argv[2], sys.argv[3:]
wheel = glob.glob(os.path.join(tmp, "scikit_image-*.whl"))[0]
with zipfile.ZipFile(wheel) as z:
    for n in names:
        with open(os.path.join(dest, n), "wb") as f:
            f.write(z.read("skimage/data/" + n))
PYEOF
touch "$DEST/.done-$VERSION"
echo "bench photos: ${#FILES[@]} pictures from scikit-image $VERSION in $DEST"
