#!/usr/bin/env python3
"""Screenshot pages of a running kexie (e.g. `make demo`) at desktop and phone widths.

Usage: .venv/bin/python tools/screenshots.py [--base http://127.0.0.1:8000] [--out var/screenshots]
       [--user leader] [--password Kexie@2026] PATH [PATH ...]
The demo must run with KEXIE_STAFF_2FA=optional (make demo's default) so that the script can sign in.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--out", default="var/screenshots")
    parser.add_argument("--user", default="leader")
    parser.add_argument("--password", default="Kexie@2026")
    parser.add_argument("--full", action="store_true", help="whole page, not just the viewport")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for size_name, viewport in SIZES.items():
            context = browser.new_context(
                locale="zh-CN", viewport=viewport, device_scale_factor=2 if size_name == "phone" else 1
            )
            page = context.new_page()
            if args.user:
                page.goto(f"{args.base}/accounts/login/")
                page.fill("input[name=username]", args.user)
                page.fill("input[name=password]", args.password)
                page.click("main button[type=submit]")
                page.wait_for_load_state()
            for path in args.paths:
                page.goto(f"{args.base}{path}")
                page.wait_for_load_state("networkidle")
                name = path.strip("/").replace("/", "_").replace("?", "_") or "home"
                target = out / f"{name}-{size_name}.png"
                page.screenshot(path=str(target), full_page=args.full)
                print(target)
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
