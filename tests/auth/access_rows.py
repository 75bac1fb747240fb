from tests.access import ONLY_ADMIN, ORGANISERS, SIGNED_IN, AccessRow

ROWS = [
    AccessRow("admin.users", lambda s: "/admin/users", ONLY_ADMIN),
    AccessRow("admin.create_user", lambda s: "/admin/users/new", ONLY_ADMIN),
    AccessRow(
        "admin.change_role",
        lambda s: f"/admin/users/{s.users['participant'].id}/role",
        ONLY_ADMIN | {"admin": 302},
        method="POST",
        data={"role": "coach"},
    ),
    AccessRow(
        "admin.toggle_lock",
        lambda s: f"/admin/users/{s.users['participant'].id}/lock",
        ONLY_ADMIN | {"admin": 302},
        method="POST",
    ),
    AccessRow("auth.invite_coach", lambda s: "/auth/invite-coach", ORGANISERS),
    AccessRow("account.profile", lambda s: "/account/", SIGNED_IN),
    AccessRow("account.export", lambda s: "/account/export", SIGNED_IN),
    # Posting an empty form: signed-in people get the form back with the error, never an action.
    AccessRow(
        "account.change_password",
        lambda s: "/account/password",
        SIGNED_IN | {a: 422 for a in SIGNED_IN if a != "anonymous"},
        method="POST",
    ),
    AccessRow(
        "account.delete",
        lambda s: "/account/delete",
        SIGNED_IN | {a: 422 for a in SIGNED_IN if a != "anonymous"},
        method="POST",
    ),
]
