"""Reference data: one module every app reads districts, industries and disciplines from."""

from __future__ import annotations

from kexie.accounts.queries import district_associations
from kexie.core import reference


def test_districts_are_the_38_of_chongqing_in_code_order():
    districts = reference.districts()

    assert len(districts) == 38
    assert list(districts) == sorted(districts)
    assert districts["500103"] == "渝中区"
    assert reference.district_name("500103") == "渝中区"
    assert reference.district_name("") == reference.district_name("999999") == ""
    assert reference.district_choices()[0] == ("500101", "万州区")


def test_district_code_accepts_code_name_and_association_name():
    assert [
        reference.district_code(v)
        for v in ["500103", "渝中区", "渝中区科协", "渝中区科学技术协会", "北京", ""]
    ] == ["500103", "500103", "500103", "500103", "", ""]


def test_district_associations_carry_the_reference_codes(orgs):
    assert [(o.code, o.short_name) for o in district_associations()] == [
        (code, f"{name}科协") for code, name in reference.district_choices()
    ]


def test_industries_and_disciplines():
    rows = reference.industry_rows()

    assert (rows[0].code, rows[0].level, rows[0].name) == ("A", 1, "农、林、牧、渔业")
    assert reference.industries()["0111"] == "稻谷种植"
    assert {row.level for row in rows} == {1, 2, 3, 4}
    disciplines = reference.discipline_rows()
    assert {row.level for row in disciplines} == {1, 2, 3}
    assert all(row.parent is None or row.parent < row.code for row in disciplines)
    assert reference.disciplines()["F0201"] == next(r.name for r in disciplines if r.code == "F0201")
