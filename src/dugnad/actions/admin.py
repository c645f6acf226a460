"""Admin of organisations, actions, agreements and the action catalogue."""

from django.contrib import admin

from dugnad.actions.models import (
    Action,
    ActionIndicator,
    ActionLink,
    ActionPartner,
    ActionTemplate,
    Agreement,
    AgreementParty,
    Commitment,
    Milestone,
    Organisation,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """Organisations."""

    list_display = ("name", "kind", "org_number")
    list_filter = ("kind",)
    search_fields = ("name",)


class PartnerInline(admin.TabularInline):
    model = ActionPartner
    extra = 0
    raw_id_fields = ("unit",)


class IndicatorInline(admin.TabularInline):
    model = ActionIndicator
    extra = 0
    raw_id_fields = ("indicator",)


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class LinkInline(admin.TabularInline):
    model = ActionLink
    extra = 0


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    """Actions with partners, indicators, milestones and links."""

    list_display = ("title", "status", "progress", "start", "end", "is_demo")
    list_filter = ("status", "visibility", "is_demo")
    search_fields = ("title",)
    inlines = [PartnerInline, IndicatorInline, MilestoneInline, LinkInline]
    filter_horizontal = ("targets",)


class PartyInline(admin.TabularInline):
    model = AgreementParty
    extra = 0
    raw_id_fields = ("unit",)


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    """Cooperation agreements."""

    list_display = ("title", "signed_on", "status")
    inlines = [PartyInline, CommitmentInline]


@admin.register(ActionTemplate)
class ActionTemplateAdmin(admin.ModelAdmin):
    """The action catalogue."""

    list_display = ("title", "target")
    search_fields = ("title",)
