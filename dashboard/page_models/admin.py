"""Admin: user accounts and the audit log. The writes and their role checks live in actions.py; this module shapes
what the page shows. No Streamlit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

TITLE = "Admin"
USER_COLUMNS = ["user", "role", "name"]


def users_table(users: Mapping[str, Mapping[str, Any]]) -> pd.DataFrame:
    """One row per account, by user name: its role and display name (never its password hash)."""
    return pd.DataFrame([{"user": name, "role": record["role"], "name": record.get("display_name", "")}
                         for name, record in sorted(users.items())], columns=USER_COLUMNS)


def audit_filter(action: str, who: str) -> dict[str, str]:
    """The audit log's filters as the page's fields give them ("" = all)."""
    return {"action": action, "who": who.strip()}
