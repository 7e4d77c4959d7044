"""Constants shared by the literacy services."""

from datetime import timedelta
from pathlib import Path

from django.conf import settings

SEED_DIR = Path(settings.BASE_DIR) / "seed"
# A late answer still counts within this much of the limit: the time the answer spends on the network.
GRACE = timedelta(seconds=2)
TRUE_FALSE_OPTIONS = ["正确", "错误"]

# The 2024 national grading (中国科协): 100 points over four dimensions.
DIMENSIONS = [
    ("knowledge", "科学知识", 40),
    ("method", "科学方法", 20),
    ("spirit", "科学精神与思想", 20),
    ("application", "应用科学的能力", 20),
]
GRADED_RULE = "2024年全国公民科学素质分级"
BENCHMARK_RULE = "《中国公民科学素质基准》测评"
