"""Times pdqhash (Meta's C++ PDQ via its PyPI binding) on decoded RGB pixels. Prints one TSV row per image:
path, width, height, ms per hash, hash. Usage: pdq_time.py REPEATS FILE..."""
import sys
import time

import numpy as np
import pdqhash
from PIL import Image


def main() -> None:
    repeats = int(sys.argv[1])
    for path in sys.argv[2:]:
        img = np.asarray(Image.open(path).convert("RGB"))
        vec, quality = pdqhash.compute(img)
        t0 = time.perf_counter()
        for _ in range(repeats):
            pdqhash.compute(img)
        ms = (time.perf_counter() - t0) * 1000 / repeats
        bits = "".join("1" if b else "0" for b in vec)
        print(f"{path}\t{img.shape[1]}\t{img.shape[0]}\t{ms:.3f}\t{quality}\t{bits[:16]}")


if __name__ == "__main__":
    main()
