from tests.access import ONLY_ADMIN, ORGANISERS, AccessRow

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
]
