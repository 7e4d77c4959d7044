"""Countries and regions for exchanges, partners and overseas experts: ISO 3166-1 alpha-2 code →
Chinese name, and whether the country has signed a Belt and Road (一带一路) cooperation document
with China. The set covers the countries Chongqing's exchanges name; staff ask to extend it by
adding a row here (it is reference data, versioned with the code like core.reference)."""

from __future__ import annotations

# code: (name, belt_and_road)
COUNTRIES: dict[str, tuple[str, bool]] = {
    "CN": ("中国", False),
    "US": ("美国", False),
    "CA": ("加拿大", False),
    "GB": ("英国", False),
    "DE": ("德国", False),
    "FR": ("法国", False),
    "IT": ("意大利", True),
    "ES": ("西班牙", False),
    "NL": ("荷兰", False),
    "BE": ("比利时", False),
    "CH": ("瑞士", False),
    "AT": ("奥地利", True),
    "SE": ("瑞典", False),
    "FI": ("芬兰", False),
    "DK": ("丹麦", False),
    "NO": ("挪威", False),
    "IE": ("爱尔兰", False),
    "PT": ("葡萄牙", True),
    "GR": ("希腊", True),
    "PL": ("波兰", True),
    "CZ": ("捷克", True),
    "HU": ("匈牙利", True),
    "RS": ("塞尔维亚", True),
    "RU": ("俄罗斯", True),
    "BY": ("白俄罗斯", True),
    "UA": ("乌克兰", True),
    "TR": ("土耳其", True),
    "KZ": ("哈萨克斯坦", True),
    "UZ": ("乌兹别克斯坦", True),
    "KG": ("吉尔吉斯斯坦", True),
    "TJ": ("塔吉克斯坦", True),
    "MN": ("蒙古", True),
    "JP": ("日本", False),
    "KR": ("韩国", True),
    "SG": ("新加坡", True),
    "MY": ("马来西亚", True),
    "TH": ("泰国", True),
    "VN": ("越南", True),
    "LA": ("老挝", True),
    "KH": ("柬埔寨", True),
    "MM": ("缅甸", True),
    "ID": ("印度尼西亚", True),
    "PH": ("菲律宾", True),
    "IN": ("印度", False),
    "PK": ("巴基斯坦", True),
    "BD": ("孟加拉国", True),
    "LK": ("斯里兰卡", True),
    "NP": ("尼泊尔", True),
    "IR": ("伊朗", True),
    "SA": ("沙特阿拉伯", True),
    "AE": ("阿联酋", True),
    "EG": ("埃及", True),
    "IL": ("以色列", False),
    "ZA": ("南非", True),
    "KE": ("肯尼亚", True),
    "ET": ("埃塞俄比亚", True),
    "NG": ("尼日利亚", True),
    "AU": ("澳大利亚", False),
    "NZ": ("新西兰", True),
    "BR": ("巴西", False),
    "AR": ("阿根廷", True),
    "CL": ("智利", True),
    "MX": ("墨西哥", False),
    "HK": ("中国香港", False),
    "MO": ("中国澳门", False),
    "TW": ("中国台湾", False),
}


def country_choices() -> list[tuple[str, str]]:
    return [(code, name) for code, (name, _bri) in sorted(COUNTRIES.items(), key=lambda kv: kv[1][0])]


def country_name(code: str) -> str:
    row = COUNTRIES.get(code or "")
    return row[0] if row else (code or "")


def is_belt_and_road(code: str) -> bool:
    row = COUNTRIES.get(code or "")
    return bool(row and row[1])
