"""A plain HTML form that the browser submits itself.

Reflex's forms always intercept submission. The credential routes under /auth need a
real POST and a full navigation, so the response can set or clear HttpOnly cookies.
"""

from reflex.vars import Var
from reflex_components_core.el.elements.base import BaseHTML


class NativeForm(BaseHTML):
    """`<form method="post" action="...">` without any event handler."""

    tag = "form"
    action: Var[str]
    method: Var[str]


native_form = NativeForm.create
