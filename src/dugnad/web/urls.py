"""Routes of the web app."""

from django.contrib.auth import views as auth_views
from django.urls import path, register_converter

from dugnad.web.views import (
    actions,
    dashboard,
    embed,
    levelrequests,
    networks,
    portal,
    practices,
    publications,
    rounds,
    submissions,
    targets,
    upload,
    work,
)


class DownloadFormat:
    """The extension of a portal download: ``csv``, ``xlsx`` or ``json`` (JSON-stat 2.0)."""

    regex = "csv|xlsx|json"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(DownloadFormat, "fmt")

urlpatterns = [
    # the public portal (issue 18): no login; each page's data as data.csv, data.xlsx and data.json (JSON-stat)
    path("data.<fmt:fmt>", portal.home_download, name="portal-home-data"),
    path("enheter/<str:code>/data.<fmt:fmt>", portal.unit_download, name="unit-data"),
    path("mal/<int:number>/data.<fmt:fmt>", portal.goal_download, name="portal-goal-data"),
    path("delmal/<str:code>/data.<fmt:fmt>", portal.target_download, name="portal-target-data"),
    path("indikatorer/<str:framework>/<str:code>/data.<fmt:fmt>", portal.indicator_download,
         name="portal-indicator-data"),
    path("sammenlign/data.<fmt:fmt>", portal.compare_download, name="portal-compare-data"),
    # the charts and maps alone, for other sites to frame (the only pages that may be framed)
    path("embed/kart/indeks/", embed.index_map, name="embed-index-map"),
    path("embed/kart/mal/<int:number>/", embed.goal_map, name="embed-goal-map"),
    path("embed/kart/enhet/<str:unit>/", embed.locator, name="embed-locator"),
    path("embed/kart/<str:framework>/<str:code>/<str:level>/", embed.indicator_map, name="embed-indicator-map"),
    path("embed/graf/<str:unit>/<str:framework>/<str:code>/", embed.chart, name="embed-chart"),
    path("embed/fordeling/<str:framework>/<str:code>/", embed.distribution, name="embed-distribution"),
    path("embed/sammenlign/<str:framework>/<str:code>/", embed.compare, name="embed-compare"),
    path("", portal.home, name="home"),
    path("enheter/", portal.unit_list, name="portal-units"),
    path("mal/", portal.goal_list, name="portal-goals"),
    path("mal/<int:number>/", portal.goal_detail, name="portal-goal"),
    path("delmal/<str:code>/", portal.target_detail, name="portal-target"),
    path("indikatorer/", portal.indicator_list, name="portal-indicators"),
    path("indikatorer/<str:framework>/<str:code>/", portal.indicator_detail, name="portal-indicator"),
    path("sammenlign/", portal.compare, name="portal-compare"),
    path("logg-inn/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("enheter/<str:code>/", portal.unit_detail, name="unit-detail"),
    path("enheter/<str:code>/dashbord/", dashboard.unit_dashboard, name="unit-dashboard"),
    path("enheter/<str:code>/last-opp/", upload.unit_upload, name="unit-upload"),
    path("enheter/<str:code>/last-opp/rapport.csv", upload.unit_upload_report, name="unit-upload-report"),
    path("runder/", rounds.round_list, name="round-list"),
    path("runder/ny/", rounds.round_new, name="round-new"),
    path("runder/<int:round_id>/", rounds.round_detail, name="round-detail"),
    path("runder/<int:round_id>/status.csv", rounds.round_export, name="round-export"),
    path("runder/<int:round_id>/lukk/", rounds.round_close_view, name="round-close"),
    path("runder/<int:round_id>/gjenapne/", rounds.round_reopen_view, name="round-reopen"),
    path("runder/<int:round_id>/paminnelser/", rounds.round_reminders_view, name="round-reminders"),
    path("mitt-arbeid/", work.my_work, name="my-work"),
    # requests across levels (issue 15): sent by and addressed to my units, send one, answer it
    path("henvendelser/", levelrequests.request_list, name="request-list"),
    path("henvendelser/ny/", levelrequests.request_new, name="request-new"),
    path("henvendelser/<int:request_id>/", levelrequests.request_detail, name="request-detail"),
    path("henvendelser/<int:request_id>/status/", levelrequests.request_status, name="request-status"),
    path("innleveringer/<int:submission_id>/", submissions.submission_detail, name="submission-detail"),
    path("innleveringer/<int:submission_id>/verdi/", submissions.value_save, name="submission-value"),
    path("innleveringer/<int:submission_id>/tekst/", submissions.narrative_save, name="submission-narrative"),
    path("innleveringer/<int:submission_id>/svar/", submissions.answer_save, name="submission-answer"),
    path("innleveringer/<int:submission_id>/framdrift/", submissions.submission_progress, name="submission-progress"),
    path("innleveringer/<int:submission_id>/lever/", submissions.submission_submit_view, name="submission-submit"),
    path("innleveringer/<int:submission_id>/returner/", submissions.submission_return_view, name="submission-return"),
    path("innleveringer/<int:submission_id>/godkjenn/", submissions.submission_approve_view, name="submission-approve"),
    path("innleveringer/<int:submission_id>/oppdater-fra-ssb/", submissions.submission_refresh_view,
         name="submission-refresh"),
    path("innleveringer/<int:submission_id>/bilder/<int:snapshot_id>/", submissions.snapshot_detail,
         name="snapshot-detail"),
    path("runder/<int:round_id>/rapporter/", publications.publication_page, name="publication-page"),
    path("runder/<int:round_id>/rapporter/ny/", publications.publication_create, name="publication-create"),
    path("rapporter/<int:pk>/status/", publications.publication_status, name="publication-status"),
    path("rapporter/<int:pk>/last-ned/", publications.publication_download, name="publication-download"),
    # joint actions, networks and the good-practice library (issue 7)
    path("tiltak/", actions.action_list, name="action-list"),
    path("tiltak/nytt/", actions.action_new, name="action-new"),
    path("tiltak/katalog/", actions.action_catalogue, name="action-catalogue"),
    path("tiltak/katalog/<int:template_id>/kopier/", actions.template_copy, name="template-copy"),
    path("tiltak/<int:action_id>/", actions.action_detail, name="action-detail"),
    path("tiltak/<int:action_id>/status/", actions.action_status, name="action-status"),
    path("tiltak/<int:action_id>/partnere/", actions.action_partners_new, name="action-partners-add"),
    path("tiltak/<int:action_id>/del/<int:part_id>/", actions.part_update, name="action-part-update"),
    path("tiltak/<int:action_id>/milepaeler/", actions.milestone_new, name="milestone-new"),
    path("tiltak/<int:action_id>/milepaeler/<int:milestone_id>/fullfort/", actions.milestone_done, name="milestone-done"),
    path("avtaler/", actions.agreement_list, name="agreement-list"),
    path("avtaler/ny/", actions.agreement_new, name="agreement-new"),
    path("avtaler/<int:agreement_id>/", actions.agreement_detail, name="agreement-detail"),
    path("avtaler/<int:agreement_id>/endre/", actions.agreement_edit, name="agreement-edit"),
    path("avtaler/<int:agreement_id>/tiltak/", actions.agreement_actions_link, name="agreement-action-link"),
    path("avtaler/<int:agreement_id>/tiltak/<int:action_id>/fjern/", actions.agreement_actions_unlink,
         name="agreement-action-unlink"),
    path("avtaler/forpliktelser/<int:commitment_id>/status/", actions.commitment_status, name="commitment-status"),
    path("enheter/<str:code>/tiltak/", actions.unit_actions, name="unit-actions"),
    path("enheter/<str:code>/forslag/", practices.peer_suggestions_view, name="unit-peer-suggestions"),
    path("fylker/<str:code>/mobilisering/", networks.county_mobilisation, name="county-mobilisation"),
    path("fylker/<str:code>/mobilisering/<str:unit_code>/inviter/", networks.county_mobilisation_invite,
         name="county-mobilisation-invite"),
    path("enheter/<str:code>/mal-2030/", targets.unit_targets_view, name="unit-targets"),
    path("nettverk/", networks.network_list, name="network-list"),
    path("nettverk/nytt/", networks.network_new, name="network-new"),
    path("nettverk/<int:network_id>/", networks.network_detail_view, name="network-detail"),
    path("nettverk/<int:network_id>/gap/", networks.network_gaps, name="network-gaps"),
    path("nettverk/<int:network_id>/tiltak/nytt/", networks.joint_action_new, name="network-action-new"),
    path("nettverk/<int:network_id>/notat/", networks.note_add, name="network-note"),
    path("nettverk/<int:network_id>/inviter/", networks.invite, name="network-invite"),
    path("nettverk/invitasjoner/<int:invitation_id>/svar/", networks.invitation_reply, name="invitation-reply"),
    path("eksempler/", practices.practice_search, name="practice-search"),
    path("eksempler/<int:case_id>/", practices.practice_detail, name="practice-detail"),
]
