"""Build kexie/seed/experts_demo_works.tsv: the works of the demo expert library, grouped by expert.

Real public titles only (plus a handful of written welding titles, marked ``written``):
- CSL papers (title + keywords) of the engineering, agriculture, medicine and science categories that
  are not already demo achievements (kexie/seed/transfer_achievements.tsv), grouped 1–4 per expert
  within one discipline;
- NSSFC projects of Chongqing (applied/theoretical economics and management), grouped by their
  principal investigator (the PI's name is not kept).

Run once by hand (reads ../shared/eval/matching, which the application and tests never do):

    .venv/bin/python tools/make_expert_seed.py [path/to/shared/eval/matching]
"""

from __future__ import annotations

import csv
import random
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SEED = REPO / "kexie" / "seed"
EXPERTS = 300

# CSL discipline → NSFC application-code prefix of an expert publishing in it.
CSL_NSFC = {
    "食品科学与工程": "C20", "园艺学": "C15", "中医学/中药学": "H27", "基础医学/临床医学": "H16",
    "化学/化学工程与技术": "B06", "交通运输工程": "E08", "矿业工程": "E04", "材料科学与工程": "E01",
    "纺织科学与工程": "E03", "大气科学": "D05", "药学": "H30", "土木工程": "E08",
    "信息与通信工程": "F01", "农业工程": "C13", "计算机科学与技术": "F02", "机械工程": "E05",
    "兵器科学与技术": "E05", "水产": "C19", "动力工程及工程热物理": "E06", "林学/林业工程": "C16",
    "环境科学与工程": "B07", "电子科学与技术": "F04", "水利工程": "E09", "石油与天然气工程": "E04",
    "电气工程": "E07", "地理学": "D01", "冶金工程": "E04", "畜牧学/兽医学": "C17",
    "地质学/地质资源与地质工程": "D02", "建筑学": "E08", "作物学": "C13", "船舶与海洋工程": "E09",
    "控制科学与工程": "F03", "光学工程": "F05", "口腔医学": "H14", "测绘科学与技术": "D01",
    "海洋科学": "D06", "生物学/生物科学与工程": "C05", "农业资源利用": "C15",
    "公共卫生与预防医学": "H26", "航空宇航科学与技术": "E05", "植物保护": "C14",
}  # fmt: skip
NSSFC_NSFC = {"应用经济": "G03", "理论经济": "G03", "管理学": "G02"}
NSSFC_EXPERTS = 40

# Welding people: real CSL titles where they exist (sample and benchmark files), written titles
# (source "written") where none fit. Each tuple: (NSFC prefix, field, [(title, keywords, source)]).
WELDING = [
    ("E05", "机械工程", [
        ("基于线结构光视觉的弧焊机器人焊缝跟踪方法研究", "焊接机器人_焊缝跟踪_线结构光_机器视觉", "written"),
        ("冲压自动生产线上下料机器人示教编程方法", "示教_编程_冲压机器人_冲压生产线", "csl"),
        ("焊接机器人焊缝初始点视觉引导定位技术", "焊接机器人_视觉引导_焊缝识别_初始点定位", "written"),
    ]),
    ("E01", "材料科学与工程", [
        ("超声冲击消除高强钢焊接残余应力的数值模拟研究", "超声冲击_焊接残余应力_高强钢_数值模拟", "csl"),
        ("高氮奥氏体不锈钢熔焊焊缝的氮含量", "高氮奥氏体不锈钢_熔焊_焊缝_氮含量", "csl"),
        ("钛合金焊接的研究进展", "钛合金_焊接性_焊接工艺", "csl"),
        ("镍基合金等离子弧堆焊组织结构和显微硬度", "镍基合金_等离子弧堆焊_显微组织_显微硬度", "csl"),
    ]),
    ("F03", "控制科学与工程", [
        ("激光视觉传感的焊缝图像处理与特征提取", "激光视觉传感_焊缝图像_特征提取_焊缝跟踪", "written"),
        ("厚板多层多道焊焊缝轨迹规划与跟踪控制", "多层多道焊_轨迹规划_焊缝跟踪_焊接机器人", "written"),
        ("基于计算机视觉的电池表面探伤方法", "计算机视觉_表面缺陷_探伤_图像处理", "csl"),
    ]),
    ("E05", "机械工程", [
        ("汽车白车身焊装线机器人点焊质量在线检测", "白车身_焊装线_点焊质量_在线检测", "written"),
        ("变幅载荷作用下焊接接头疲劳寿命预测方法", "焊接接头_疲劳寿命_变幅载荷", "csl"),
        ("机器人焊接工艺参数自适应控制", "焊接机器人_工艺参数_自适应控制", "written"),
    ]),
]  # fmt: skip
# Where the welding people sit in the library (verified, outside the special first 30 profiles).
WELDING_AT = (41, 97, 153, 219)
# Words too general to describe a project on their own.
GENERIC_WORDS = (
    "研究 问题 我国 中国 加快 基于 理论 模式 体系 建设 机制 路径 对策 影响 策略 视角 背景 重点 地区 区域 "
    "发展 创新 构建 提升 实证 分析 探索 作用 效应 条件 新型 推进 完善 实践 选择 评价 关系"
)
GENERIC = frozenset(GENERIC_WORDS.split())


def title_keywords(segmenter, title: str) -> list[str]:
    """Keywords of a project title (NSSFC has none): its whole words without the general ones."""
    words = [w for w in segmenter.tokens(title, search=False) if len(w) >= 2 and w not in GENERIC]
    return list(dict.fromkeys(words))[:4]


def main() -> None:  # noqa: PLR0912 - a linear script
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent.parent / "shared" / "eval" / "matching"
    if not shared.exists():
        shared = Path("/work/shared/eval/matching")
    rng = random.Random(17)  # noqa: S311 - reproducible selection
    with (SEED / "transfer_achievements.tsv").open(encoding="utf-8", newline="") as fh:
        taken = {row["title"] for row in csv.DictReader(fh, delimiter="\t")}
    taken |= {title for _p, _f, works in WELDING for title, _k, _s in works}

    by_discipline: dict[str, list[tuple[str, str]]] = defaultdict(list)
    with (shared / "csl_sample_2771.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if row["discipline"] in CSL_NSFC and row["title"] not in taken and len(row["title"]) <= 60:
                keywords = "_".join(k for k in row["keywords"].split("_") if k.strip())
                by_discipline[row["discipline"]].append((row["title"].strip(), keywords))

    by_pi: dict[tuple[str, str], list[tuple[str, str, str]]] = defaultdict(list)
    with (shared / "nssfc_social_science_fund_projects_to2017.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["所在省区市"] == "重庆" and row["学科分类"] in NSSFC_NSFC:
                key = (row["项目负责人"], row["学科分类"])
                by_pi[key].append((row["项目名称"].strip(), row["立项时间"][:4], row["学科分类"]))
    from kexie.search.segment import Segmenter  # noqa: PLC0415 - only this script needs it

    segmenter = Segmenter()
    pis = sorted(by_pi, key=lambda k: (-len(by_pi[k]), k))[: NSSFC_EXPERTS * 2]
    pis = sorted(rng.sample(pis, NSSFC_EXPERTS))

    groups: list[list[dict]] = []
    for key in pis:
        works = sorted(by_pi[key], key=lambda w: w[1])[-5:]
        groups.append(
            [
                {"nsfc": NSSFC_NSFC[subject], "field": subject, "title": title,
                 "keywords": "_".join(title_keywords(segmenter, title)), "year": year, "source": "nssfc"}
                for title, year, subject in works
            ]
        )  # fmt: skip
    remaining = EXPERTS - len(groups) - len(WELDING)
    disciplines = sorted(by_discipline)
    for rows in by_discipline.values():
        rng.shuffle(rows)
    csl_groups: list[list[dict]] = []
    while len(csl_groups) < remaining:
        progressed = False
        for discipline in disciplines:
            rows = by_discipline[discipline]
            if len(csl_groups) >= remaining or not rows:
                continue
            size = min(len(rows), rng.choice([1, 2, 2, 3, 3, 4]))
            csl_groups.append(
                [
                    {"nsfc": CSL_NSFC[discipline], "field": discipline, "title": title, "keywords": keywords,
                     "year": "", "source": "csl"}
                    for title, keywords in rows[:size]
                ]
            )  # fmt: skip
            del rows[:size]
            progressed = True
        if not progressed:
            break
    groups.extend(csl_groups)
    rng.shuffle(groups)
    for position, (prefix, field, works) in zip(WELDING_AT, WELDING, strict=True):
        groups.insert(
            position,
            [
                {"nsfc": prefix, "field": field, "title": title, "keywords": keywords, "year": "",
                 "source": source}
                for title, keywords, source in works
            ],
        )  # fmt: skip

    out = SEED / "experts_demo_works.tsv"
    with out.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        writer.writerow(["expert", "nsfc", "field", "title", "keywords", "year", "source"])
        for number, works in enumerate(groups):
            for work in works:
                writer.writerow(
                    [number, work["nsfc"], work["field"], work["title"], work["keywords"], work["year"],
                     work["source"]]
                )  # fmt: skip
    print(f"{out}: {len(groups)} experts, {sum(len(g) for g in groups)} works, {out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
