"""Who may see and erase a person's data: support staff (admin access) only."""

import rules


@rules.predicate
def is_support(user) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser))


rules.add_perm("accounts.manage_personal_data", is_support)
