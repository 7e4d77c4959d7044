from datetime import timedelta

import pytest
from django.core import signing
from django.core.exceptions import ValidationError

from kexie.core.qr import qr_svg, qr_svg_bytes, read_signed_code, signed_code


def test_signed_code_round_trip_and_salt_separates_uses():
    token = signed_code({"a": 7, "d": "in"}, salt="kexie.test.one")

    assert read_signed_code(token, salt="kexie.test.one", max_age=timedelta(minutes=5)) == {"a": 7, "d": "in"}
    with pytest.raises(ValidationError) as other_use:
        read_signed_code(token, salt="kexie.test.two", max_age=timedelta(minutes=5))
    assert other_use.value.code == "forged"


def test_forged_expired_and_non_dict_codes_are_refused_with_the_callers_message():
    token = signed_code({"a": 7}, salt="kexie.test")

    with pytest.raises(ValidationError) as forged:
        read_signed_code(token[:-2] + "xx", salt="kexie.test", max_age=timedelta(minutes=5), invalid="无效")
    with pytest.raises(ValidationError) as expired:
        read_signed_code(token, salt="kexie.test", max_age=timedelta(seconds=-1), expired="已过期")
    with pytest.raises(ValidationError) as not_a_dict:
        read_signed_code(
            signing.dumps([7], salt="kexie.test"), salt="kexie.test", max_age=timedelta(minutes=5)
        )

    assert (forged.value.code, forged.value.message) == ("forged", "无效")
    assert (expired.value.code, expired.value.message) == ("expired", "已过期")
    assert not_a_dict.value.code == "forged"


def test_qr_svg_is_an_inline_svg_and_the_data_cannot_inject_markup():
    svg = qr_svg('https://example.org/?q="><script>alert(1)</script>')

    assert svg.startswith("<svg") and "<script" not in svg
    assert qr_svg_bytes("x").startswith(b"<svg")
