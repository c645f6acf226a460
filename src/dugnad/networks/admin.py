"""Admin of networks."""

from django.contrib import admin

from dugnad.networks.models import Invitation, Network, NetworkDocument, NetworkMember


class MemberInline(admin.TabularInline):
    model = NetworkMember
    extra = 0
    raw_id_fields = ("unit",)


class DocumentInline(admin.StackedInline):
    model = NetworkDocument
    extra = 0


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    """Networks with members and workspace documents."""

    list_display = ("name", "kind", "lead_unit", "is_demo")
    list_filter = ("kind", "is_demo")
    inlines = [MemberInline, DocumentInline]
    filter_horizontal = ("coordinators", "indicators", "actions")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations to networks."""

    list_display = ("network", "unit", "organisation", "state", "created_at")
    list_filter = ("state",)
