"""The bare Django page web_load.py compares against: the same Django, gunicorn and worker setup, no
database, no middleware beyond the common one, a template of about the size of a kexie page."""

from __future__ import annotations

import django
from django.conf import settings
from django.http import HttpResponse
from django.template import Context, Engine
from django.urls import path

ROWS = 200
TEMPLATE = Engine().from_string(
    "<!doctype html><html lang='zh-hans'><head><meta charset='utf-8'><title>{{ title }}</title></head><body>"
    "<main><h1>{{ title }}</h1><table>{% for row in rows %}<tr><td>{{ row.0 }}</td><td>{{ row.1 }}</td>"
    "<td><a href='/item/{{ row.0 }}/'>{{ row.2|truncatechars:40 }}</a></td><td>{{ row.3|floatformat:1 }}</td>"
    "</tr>{% endfor %}</table></main></body></html>"
)


def page(request):
    text = "推动科技成果转化与科普基础设施建设，完善服务体系" * 3
    rows = [(i, f"重庆市第{i}项任务", text, i * 1.5) for i in range(ROWS)]
    return HttpResponse(TEMPLATE.render(Context({"title": "对照页面", "rows": rows})))


if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="bench-" + "x" * 60,
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=["django.middleware.common.CommonMiddleware"],
        INSTALLED_APPS=[],
        USE_I18N=False,
    )
    django.setup()

urlpatterns = [path("", page)]

from django.core.wsgi import get_wsgi_application  # noqa: E402 - after settings

application = get_wsgi_application()
