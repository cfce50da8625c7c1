"""`{% may_import "projects" as allowed %}`: whether the user may run an import
(pingxiang_cf/imports.py), to show its link."""

from django import template

from pingxiang_cf import imports

register = template.Library()


@register.simple_tag(takes_context=True)
def may_import(context, name: str) -> bool:
    spec = imports.get_spec(name)
    request = context.get("request")
    return bool(spec and request and spec.may_import(request.user))
