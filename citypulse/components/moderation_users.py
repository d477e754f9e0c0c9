"""/moderator/users pieces: the user list and search, and one user's panel with its actions.

Forms are shown only when the panel says the moderator may act (the services refuse
the rest anyway); Change role only for admins.
"""

import reflex as rx

from citypulse.components.forms import alert, field_error, notice
from citypulse.components.moment import moment
from citypulse.state.moderation.users import ModeratorUsersState as S

WARNING_TYPES = [
    ("spam", "Spam"),
    ("harassment", "Harassment"),
    ("inappropriate_content", "Inappropriate content"),
    ("misleading_content", "Misleading content"),
    ("copyright", "Copyright"),
    ("impersonation", "Impersonation"),
    ("other", "Other"),
]


def _select(label: str, field_id: str, name: str, options, default: str) -> rx.Component:
    return rx.vstack(
        rx.el.label(label, html_for=field_id),
        rx.el.select(
            *[rx.el.option(text, value=value) for value, text in options],
            id=field_id, name=name, default_value=default, class_name="native-select",
        ),
        spacing="1",
        align="stretch",
    )  # fmt: skip


def _text(label: str, field_id: str, name: str, error, *, area: bool = False, **props):
    control = rx.text_area if area else rx.input
    return rx.vstack(
        rx.el.label(label, html_for=field_id),
        control(id=field_id, name=name, aria_describedby=f"{field_id}-error", **props),
        field_error(error, field_id),
        spacing="1",
        align="stretch",
    )


def _error(form: str, field: rx.Var) -> rx.Var:
    return rx.cond(S.errors_form == form, field, "")


def search_form() -> rx.Component:
    return rx.form(
        rx.hstack(
            rx.input(id="user-search", name="query", placeholder="Username or email",
                     aria_label="Search users by username or email"),
            rx.button("Search", type="submit"),
            align="center",
        ),
        on_submit=S.search,
        role="search",
    )  # fmt: skip


def user_row(line: rx.Var) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.button(line.username, variant="ghost", on_click=S.select_user(line.user_id),
                      aria_label="Open @" + line.username)
        ),
        rx.table.cell(line.full_name),
        rx.table.cell(line.role),
        rx.table.cell(line.status),
        rx.table.cell(line.active_warnings),
        rx.table.cell(line.open_reports),
    )  # fmt: skip


def user_list() -> rx.Component:
    return rx.el.section(
        rx.heading(rx.cond(S.query != "", "Search results", "Reported users"), as_="h2", size="5"),
        search_form(),
        rx.cond(
            S.users.length() > 0,
            rx.table.root(
                rx.table.header(rx.table.row(
                    *[rx.table.column_header_cell(name) for name in
                      ("User", "Name", "Role", "Status", "Active warnings", "Open reports")]
                )),
                rx.table.body(rx.foreach(S.users, user_row)),
            ),
            rx.text(rx.cond(S.query != "", "No user matches.", "No reported users.")),
        ),
        rx.cond(S.next_cursor != "", rx.button("Load more", on_click=S.load_more, variant="soft")),
        class_name="moderator-section",
    )  # fmt: skip


def entry(item: rx.Var, revoke: bool = False) -> rx.Component:
    return rx.el.li(
        rx.vstack(
            rx.hstack(rx.text(item.title, weight="medium"), rx.badge(item.state),
                      moment(item.when_iso, item.when), spacing="2", wrap="wrap"),
            rx.text(item.text),
            revoke_form(item) if revoke else rx.fragment(),
            spacing="1",
            align="stretch",
        ),
        class_name="panel-entry",
    )  # fmt: skip


def revoke_form(item: rx.Var) -> rx.Component:
    field_id = "revoke-reason-" + item.entry_id
    return rx.cond(
        item.revocable,
        rx.form(
            rx.el.input(type="hidden", name="warning_id", value=item.entry_id),
            rx.hstack(
                rx.el.label("Reason to revoke", html_for=field_id),
                rx.input(id=field_id, name="reason", required=True),
                rx.button("Revoke warning", type="submit", variant="soft"),
                align="center", wrap="wrap",
            ),
            on_submit=S.revoke,
            reset_on_submit=True,
        ),
    )  # fmt: skip


def entries(title: str, items: rx.Var, empty: str, revoke: bool = False) -> rx.Component:
    return rx.vstack(
        rx.heading(title, as_="h3", size="4"),
        rx.cond(items.length() > 0,
                rx.el.ul(rx.foreach(items, lambda item: entry(item, revoke))),
                rx.text(empty, color_scheme="gray")),
        align="stretch",
    )  # fmt: skip


def warn_form() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading("Warn", as_="h3", size="4"),
            _select("Warning type", "warn-type", "warning_type", WARNING_TYPES, "spam"),
            _select("Severity", "warn-severity", "severity",
                    [("low", "Low"), ("medium", "Medium"), ("high", "High")], "low"),
            _text("Message to the user (10–1000 characters)", "warn-message", "message",
                  _error("warn", S.errors.message), area=True, required=True),
            rx.button("Warn", type="submit"),
            align="stretch",
        ),
        on_submit=S.warn,
        reset_on_submit=True,
    )  # fmt: skip


def reason_form(form: str, title: str, button: str, handler, *extra, color="red"):
    return rx.form(
        rx.vstack(
            rx.heading(title, as_="h3", size="4"),
            *extra,
            _text(f"{title} reason (10–1000 characters)", f"{form}-reason", "reason",
                  _error(form, S.errors.reason), area=True, required=True),
            rx.button(button, type="submit", color_scheme=color),
            align="stretch",
        ),
        on_submit=handler,
        reset_on_submit=True,
    )  # fmt: skip


def actions() -> rx.Component:
    days = _text(
        "Days (1–365)",
        "suspend-days",
        "days",
        _error("suspend", S.errors.days),
        type="number",
        min="1",
        max="365",
        default_value="7",
        required=True,
    )
    role = _select(
        "New role",
        "role-choice",
        "role",
        [("moderator", "Moderator"), ("user", "User")],
        "moderator",
    )
    return rx.cond(
        S.panel.refusal != "",
        rx.callout(S.panel.refusal, color_scheme="gray", role="status"),
        rx.grid(
            warn_form(),
            rx.cond(
                S.panel.restricted,
                reason_form("reinstate", "Reinstate", "Reinstate", S.reinstate, color="green"),
                rx.fragment(),
            ),
            reason_form("suspend", "Suspend", "Suspend", S.suspend, days),
            rx.cond(S.panel.status != "banned",
                    reason_form("ban", "Ban", "Ban", S.ban), rx.fragment()),
            rx.cond(S.panel.may_change_role,
                    reason_form("role", "Change role", "Change role", S.change_role, role,
                                color="indigo"),
                    rx.fragment()),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="5",
        ),
    )  # fmt: skip


def user_panel() -> rx.Component:
    return rx.cond(
        S.panel.user_id != "",
        rx.el.section(
            rx.heading("@", S.panel.username, as_="h2", size="5"),
            rx.text(S.panel.full_name, " · ", S.panel.email),
            rx.hstack(
                rx.badge("Role: ", S.panel.role),
                rx.badge("Status: ", S.panel.status),
                rx.cond(S.panel.suspended_until != "",
                        rx.badge("Suspended until ", S.panel.suspended_until)),
                spacing="2", wrap="wrap",
            ),
            alert(S.error),
            notice(S.notice),
            actions(),
            entries("Warnings", S.warnings, "No warnings.", revoke=True),
            entries("Sanctions", S.sanctions, "No sanctions."),
            entries("Reports about this user", S.reports, "No reports."),
            entries("Appeals", S.appeals, "No appeals."),
            aria_label="User panel",
            class_name="moderator-section",
        ),
    )  # fmt: skip
