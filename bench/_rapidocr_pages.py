"""Run RapidOCR (rapidocr-onnxruntime, models shipped in its wheel) on page images, for the formats
table of bench/parse_notices.py. It runs in the interpreter that has rapidocr installed (a scratch
virtualenv: the project does not depend on it), given as `--rapidocr PYTHON`:

    PYTHON bench/_rapidocr_pages.py PAGE.png [PAGE.png …]  →  JSON on stdout

Per page: the recognised boxes (four corner points, text, score), wall and CPU seconds. One thread
(as tesseract runs with OMP_THREAD_LIMIT=1); the angle classifier is off (pages are upright)."""

import json
import sys
import time

import numpy as np
from PIL import Image
from rapidocr_onnxruntime import RapidOCR


def main(paths: list[str]) -> None:
    engine = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)
    pages = []
    for path in paths:
        image = np.array(Image.open(path).convert("RGB"))
        wall, cpu = time.perf_counter(), time.process_time()
        result, _ = engine(image, use_cls=False)
        pages.append(
            {
                "boxes": [[box, text, float(score)] for box, text, score in (result or [])],
                "seconds": time.perf_counter() - wall,
                "cpu_seconds": time.process_time() - cpu,
            }
        )
    json.dump(pages, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1:])
