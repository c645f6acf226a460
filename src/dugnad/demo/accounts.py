"""Demo users, one per role, with their memberships (passwords printed by ``dugnad demo``, for demo use only)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from dugnad.accounts.models import Membership
from dugnad.accounts.vocab import Role
from dugnad.units.selectors import unit_current


@dataclass(frozen=True)
class DemoLogin:
    """A demo user's credentials and role, printed by ``dugnad demo``."""

    username: str
    password: str
    role: Role
    unit_code: str
    unit_name: str

    @property
    def role_label(self) -> str:
        """The role's Norwegian label."""
        return str(self.role.label)


#: Demo e-mail addresses are in a reserved domain (RFC 2606): reminders reach the console backend, never a person.
DEMO_EMAIL_DOMAIN = "demo.dugnad.example"


def demo_email(username: str) -> str:
    """The demo user's e-mail address, e.g. ``bergen@demo.dugnad.example``."""
    return f"{username}@{DEMO_EMAIL_DOMAIN}"


DEMO_USERS: tuple[tuple[str, Role, str], ...] = (
    ("ks", Role.NATIONAL_COORDINATOR, "0"),
    ("departement", Role.MINISTRY_READER, "0"),
    ("vestland", Role.COUNTY_COORDINATOR, "46"),
    ("vestland-redaktor", Role.COUNTY_EDITOR, "46"),
    ("vestland-leser", Role.COUNTY_READER, "46"),
    ("bergen", Role.MUNICIPAL_EDITOR, "4601"),
    ("bergen-leser", Role.MUNICIPAL_READER, "4601"),
    ("admin", Role.ADMINISTRATOR, "0"),
)


def demo_password(username: str) -> str:
    """A demo user's password; it passes the password validators (length 12, not common or similar)."""
    return "Kvitsoy-Hareid-2030"  # the same for every demo user; not like any username or e-mail address


def demo_users_ensure() -> list[DemoLogin]:
    """Create the demo users (one per role) with memberships; passwords are printed, for demo use only."""
    user_model = get_user_model()
    logins = []
    for username, role, unit_code in DEMO_USERS:
        unit = unit_current(unit_code)
        if unit is None:
            continue
        password = demo_password(username)
        user, created = user_model.objects.get_or_create(username=username, defaults={"email": demo_email(username)})
        if created:
            user.set_password(password)
            user.is_staff = user.is_superuser = role is Role.ADMINISTRATOR
            user.save()
        elif not user.email:  # demo users made before they had addresses
            user.email = demo_email(username)
            user.save(update_fields=["email"])
        Membership.objects.get_or_create(user=user, unit=unit, role=role)
        logins.append(DemoLogin(username, password, role, unit.code, unit.name))
    return logins


def demo_user(username: str):
    """The demo user with this name; else an administrator; else an inactive demo system superuser (created)."""
    users = get_user_model().objects
    user = users.filter(username=username).first() or users.filter(username="admin").first()
    if user is None:
        user, _ = users.get_or_create(username="dugnad-demo", defaults={"is_superuser": True, "is_active": False})
    return user
