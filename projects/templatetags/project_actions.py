"""The action flags of the project page (computed in projects.actions)."""

from django import template

from projects import actions

register = template.Library()


@register.simple_tag(takes_context=True)
def project_action_flags(context, project, assignments):
    return actions.project_actions(context["request"].user, project, assignments)


@register.simple_tag(takes_context=True)
def ledger_entry_flags(context, entry):
    return actions.entry_actions(context["request"].user, entry)
