"""Masking of personal data for lists and exports (GB/T 35273 style: keep the ends, hide the middle)."""

from __future__ import annotations


def mask_mobile(value: str) -> str:
    value = (value or "").strip()
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "****" + value[-4:]


def mask_id_number(value: str) -> str:
    value = (value or "").strip()
    if len(value) < 8:
        return "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def mask_email(value: str) -> str:
    value = (value or "").strip()
    if "@" not in value:
        return mask_mobile(value)
    local, _, domain = value.partition("@")
    head = local[:1]
    return f"{head}***@{domain}"


def mask_name(value: str) -> str:
    value = (value or "").strip()
    if len(value) <= 1:
        return value
    return value[0] + "*" * (len(value) - 1)
