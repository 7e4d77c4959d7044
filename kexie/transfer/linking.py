"""Which NSFC disciplines can answer a demand from which GB/T 4754 industry.

A demand is filed under an industry (GB/T 4754-2017), an expert under disciplines (NSFC application
codes). The matching page says, for each expert, whether one of the expert's disciplines is one the
demand's industry usually draws on. The table is deliberately small and readable: a section maps to
NSFC departments (letters) or first-level disciplines, and a few manufacturing divisions, where
section C is too broad, are refined. A division entry replaces its section's entry.

NSFC departments: A mathematics and physics, B chemistry, C life sciences, D earth sciences,
E engineering and materials, F information sciences, G management, H medicine.
"""

from __future__ import annotations

from kexie.search.taxonomy import industry_path

SECTION_DISCIPLINES: dict[str, tuple[str, ...]] = {
    "A": ("C13", "C14", "C15", "C16", "C17", "C18", "C19", "C03"),  # agriculture, forestry, fishery
    "B": ("D02", "D04", "E04"),  # mining: geology, geochemistry, metallurgy and mining
    "C": ("E", "F", "B"),  # manufacturing (refined by division below)
    "D": ("E06", "E07"),  # electricity, heat, gas, water: energy, electrical engineering
    "E": ("E08", "E09"),  # construction: civil and water engineering
    "F": ("G",),  # wholesale and retail
    "G": ("E08", "G", "F03"),  # transport, storage, post
    "H": ("G",),  # hotels and catering
    "I": ("F",),  # information technology services
    "J": ("G",),  # finance
    "K": ("G", "E08"),  # real estate
    "L": ("G",),  # leasing and business services
    "M": ("A", "B", "C", "D", "E", "F", "G", "H"),  # research and technical services: any
    "N": ("D07", "B07", "E09"),  # water, environment, public facilities
    "O": ("G",),  # household services
    "P": ("G", "F"),  # education
    "Q": ("H", "C"),  # health and social work
    "R": ("G",),  # culture, sports, entertainment
    "S": ("G",),  # public administration
    "T": ("G",),  # international organizations
}

DIVISION_DISCIPLINES: dict[str, tuple[str, ...]] = {
    "13": ("C20", "C13"),  # agricultural food processing: food science
    "14": ("C20",),  # food manufacturing
    "15": ("C20",),  # beverages
    "25": ("B", "E06"),  # petroleum, coal and fuel processing
    "26": ("B",),  # chemical products
    "27": ("H", "B"),  # pharmaceuticals
    "28": ("E03", "B"),  # chemical fibres
    "29": ("E03",),  # rubber and plastics
    "30": ("E02",),  # non-metallic mineral products
    "31": ("E01", "E04"),  # ferrous metals
    "32": ("E01", "E04"),  # non-ferrous metals
    "33": ("E01", "E05"),  # metal products
    "34": ("E05", "F03"),  # general machinery
    "35": ("E05", "F03"),  # special machinery
    "36": ("E05", "E06", "F03"),  # automobiles
    "37": ("E05", "E06"),  # railway, ship, aerospace equipment
    "38": ("E07", "F03"),  # electrical machinery
    "39": ("F01", "F02", "F04", "F05"),  # computers, communication, electronics
    "40": ("F03", "E05"),  # instruments
}


def disciplines_for_industry(code: str) -> tuple[str, ...]:
    """NSFC codes (departments or disciplines) that the industry ``code`` draws on."""
    path = industry_path(code)
    if not path:
        return ()
    if len(path) > 1 and path[1] in DIVISION_DISCIPLINES:
        return DIVISION_DISCIPLINES[path[1]]
    return SECTION_DISCIPLINES.get(path[0], ())


def linked_disciplines(industry_code: str, disciplines) -> list[str]:
    """The ``disciplines`` (NSFC codes) that the industry links to, in the given order."""
    prefixes = disciplines_for_industry(industry_code)
    return [code for code in disciplines if any(code.startswith(prefix) for prefix in prefixes)]


def shared_industry(industry_code: str, industries) -> str:
    """The most specific GB/T code shared by the demand's industry and ``industries`` ("" if none)."""
    demand_path = industry_path(industry_code)
    shared = {ancestor for code in industries for ancestor in industry_path(code)} & set(demand_path)
    return max(shared, key=demand_path.index, default="")
