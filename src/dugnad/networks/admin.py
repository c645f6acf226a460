"""Admin of networks and the good-practice library."""

from django.contrib import admin

from dugnad.networks.models import CaseEvidence, Invitation, Network, NetworkDocument, NetworkMember, PracticeCase


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


class EvidenceInline(admin.TabularInline):
    model = CaseEvidence
    extra = 0
    raw_id_fields = ("indicator",)


@admin.register(PracticeCase)
class PracticeCaseAdmin(admin.ModelAdmin):
    """Good-practice cases (edit through the services to keep the search index current; or run `dugnad practices reindex`)."""

    list_display = ("title", "unit", "year", "is_demo")
    search_fields = ("title",)
    inlines = [EvidenceInline]
    filter_horizontal = ("targets",)
