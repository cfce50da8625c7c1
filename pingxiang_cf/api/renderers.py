"""JSON rendered with orjson: the list endpoints serialise thousands of rows."""

import decimal

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_fallback = JSONEncoder().default


def _default(obj):
    if isinstance(obj, decimal.Decimal):
        return str(obj)
    return _fallback(obj)


class FastJSONRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return orjson.dumps(data, default=_default, option=orjson.OPT_NON_STR_KEYS)
