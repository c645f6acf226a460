"""Model of memberships: a user holds a role on a unit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dugnad.accounts.vocab import Role


class MembershipQuerySet(models.QuerySet):
    """Named scoping rules for memberships."""

    def of_user(self, user) -> MembershipQuerySet:
        """Memberships held by a user."""
        return self.filter(user=user)


class Membership(models.Model):
    """A user's role on one administrative unit."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("bruker"), on_delete=models.CASCADE,
                             related_name="memberships")
    unit = models.ForeignKey("units.Unit", verbose_name=_("enhet"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(verbose_name=_("rolle"), max_length=30, choices=Role.choices)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"
