"""Template tags of the desk (the admin's start page)."""

from __future__ import annotations

from typing import Any

from django import template

from articles.desk import my_work

register = template.Library()


@register.inclusion_tag("admin/articles/includes/my_work.html", takes_context=True)
def my_work_panel(context: template.Context) -> dict[str, Any]:
    """The "Meine Arbeit" lists of the signed-in user (five queries, see ``my_work``)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("articles.view_article"):
        return {"work": None}
    return {"work": my_work(user=user), "request": request}
