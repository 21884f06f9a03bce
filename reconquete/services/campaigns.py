"""Campaigns: create, launch (set-based targeting, consent, assignment, and the e-mails
and SMS queued in the outbox), close. The outcomes of the contacts they lead to are in
campaigns_outcomes.py; what a campaign sends in campaigns_sending.py."""

import datetime
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agences import roles
from agences.models import Agency, Agent
from agences.permissions import VIEW_NETWORK_FIGURES
from reconquete.models import (
    Campaign,
    CampaignStatus,
    CaseReason,
    OfferType,
)
from reconquete.services.campaigns_sending import (
    campaign_messages_cancel,
    campaign_messages_queue,
)
from relation_client.customers.consents import consent_split
from relation_client.customers.models import ConsentPurpose
from socle.errors import DomainError

# the agent calls first, then writes
CHANNEL_PREFERENCE = ["phone", "sms", "email", "app", "post"]

# what each channel needs besides consent: a phone number, an e-mail, an address
CONTACT_POINT_CHECK = {
    "phone": "EXISTS (SELECT 1 FROM customers_contactpoint cp "
    "WHERE cp.customer_id = t.customer_id AND cp.kind = 'phone')",
    "sms": "EXISTS (SELECT 1 FROM customers_contactpoint cp "
    "WHERE cp.customer_id = t.customer_id AND cp.kind = 'phone')",
    "email": "EXISTS (SELECT 1 FROM customers_contactpoint cp "
    "WHERE cp.customer_id = t.customer_id AND cp.kind = 'email')",
    "post": "EXISTS (SELECT 1 FROM customers_customer c "
    "WHERE c.id = t.customer_id AND c.postal_address <> '')",
    "app": "TRUE",
}


@dataclass
class CampaignData:
    name: str
    offer_type: str
    offer_text: str
    channels: list[str]
    starts_on: datetime.date
    ends_on: datetime.date
    agencies: list[Agency]
    segments: list
    reasons: list[str]
    lost_from: datetime.date | None = None
    lost_to: datetime.date | None = None
    quiet_days: int | None = None
    offer_text_en: str = ""


@dataclass
class LaunchReport:
    targeted: int
    contactable: int
    assigned: int
    # left out: already targeted by another campaign in progress
    already_in_campaign: int = 0
    # messages written to the outbox, sent after the commit (from the first day)
    emails: int = 0
    sms: int = 0

    @property
    def not_contactable(self) -> int:
        return self.targeted - self.contactable


def _may_steer(agent: Agent, agency_ids: set[int]) -> bool:
    return agent.user.has_perm(VIEW_NETWORK_FIGURES) or agency_ids <= {agent.agency_id}


def campaign_create(*, by: Agent, data: CampaignData) -> Campaign:
    """A draft campaign; a manager steers their own agency's, the network director any."""
    agency_ids = {agency.pk for agency in data.agencies}
    if not agency_ids:
        raise DomainError("required", _("Choisissez au moins une agence."), field="agencies")
    if not _may_steer(by, agency_ids):
        raise DomainError(
            "forbidden",
            _("Vous ne pouvez cibler que les clients de votre agence."),
            field="agencies",
        )
    if not data.channels:
        raise DomainError("required", _("Choisissez au moins un canal."), field="channels")
    if data.offer_type not in OfferType.values:
        raise DomainError("invalid_choice", _("Type d'offre inconnu."), field="offer_type")
    if any(reason not in CaseReason.values for reason in data.reasons):
        raise DomainError("invalid_choice", _("Motif de perte inconnu."), field="reasons")
    if data.ends_on < data.starts_on:
        raise DomainError("dates_order", _("La fin précède le début."), field="ends_on")
    if data.lost_from and data.lost_to and data.lost_to < data.lost_from:
        raise DomainError("dates_order", _("La période de perte est inversée."), field="lost_to")
    with transaction.atomic():
        campaign = Campaign(
            name=data.name.strip(),
            offer_type=data.offer_type,
            offer_text=data.offer_text.strip(),
            offer_text_en=data.offer_text_en.strip(),
            channels=list(dict.fromkeys(data.channels)),
            starts_on=data.starts_on,
            ends_on=data.ends_on,
            reasons=list(data.reasons),
            lost_from=data.lost_from,
            lost_to=data.lost_to,
            quiet_days=data.quiet_days,
            created_by=by,
        )
        campaign.full_clean()
        campaign.save()
        campaign.agencies.set(data.agencies)
        campaign.segments.set(data.segments)
    return campaign


TARGET = """
    INSERT INTO reconquete_campaigntarget (
        campaign_id, customer_id, case_id, agent_id, is_usual_contact, contactable, channels,
        not_contactable_reason, outcome, created_at)
    SELECT %(campaign)s, rc.customer_id, rc.id, NULL, FALSE, FALSE, '{}', '', '', %(at)s
    FROM reconquete_reconquestcase rc
    JOIN customers_customer c ON c.id = rc.customer_id
    WHERE rc.status = 'open'
      AND c.anonymised_at IS NULL
      AND c.home_agency_id IN (
          SELECT agency_id FROM reconquete_campaign_agencies WHERE campaign_id = %(campaign)s)
      AND (cardinality(%(reasons)s::text[]) = 0 OR rc.reason = ANY(%(reasons)s::text[]))
      AND (NOT %(by_segment)s OR c.segment_id IN (
          SELECT segment_id FROM reconquete_campaign_segments WHERE campaign_id = %(campaign)s))
      AND (%(lost_from)s::date IS NULL OR rc.lost_since >= %(lost_from)s::date)
      AND (%(lost_to)s::date IS NULL OR rc.lost_since <= %(lost_to)s::date)
      AND (%(quiet_days)s::int IS NULL OR NOT EXISTS (
          SELECT 1 FROM touchpoints_touchpoint tp
          WHERE tp.customer_id = rc.customer_id
            AND tp.occurred_at > %(at)s - make_interval(days => %(quiet_days)s::int)))
    ON CONFLICT (campaign_id, customer_id) DO NOTHING
    RETURNING customer_id
"""

# one campaign in progress per customer: an overlapping campaign would put the same
# person twice on a call list with two offers
LEAVE_OUT_ALREADY_TARGETED = """
    DELETE FROM reconquete_campaigntarget t
    WHERE t.campaign_id = %(campaign)s AND EXISTS (
        SELECT 1 FROM reconquete_campaigntarget o
        JOIN reconquete_campaign oc ON oc.id = o.campaign_id
        WHERE o.customer_id = t.customer_id AND o.campaign_id <> t.campaign_id
          AND oc.status = 'active')
    RETURNING customer_id
"""

ALLOW_CHANNEL = """
    UPDATE reconquete_campaigntarget t SET channels = array_append(t.channels, %(channel)s)
    WHERE t.campaign_id = %(campaign)s AND t.customer_id = ANY(%(allowed)s) AND {check}
"""

CONTACTABILITY = """
    UPDATE reconquete_campaigntarget t
    SET contactable = cardinality(t.channels) > 0,
        not_contactable_reason = CASE
            WHEN cardinality(t.channels) > 0 THEN ''
            WHEN t.customer_id = ANY(%(consented)s) THEN 'no_contact_point'
            WHEN EXISTS (
                SELECT 1 FROM customers_consent k
                WHERE k.customer_id = t.customer_id AND k.purpose = 'marketing'
                  AND k.channel = ANY(%(channels)s)) THEN 'refused'
            ELSE 'no_consent' END
    WHERE t.campaign_id = %(campaign)s
"""

# the usual contact when they work in one of the campaign's agencies, else front-line
# staff of the customer's agency in turn
ASSIGN = """
    WITH agencies AS (
        SELECT agency_id FROM reconquete_campaign_agencies WHERE campaign_id = %(campaign)s
    ),
    pool AS (
        SELECT a.id, a.agency_id,
               row_number() OVER (PARTITION BY a.agency_id ORDER BY a.id) AS rank,
               count(*) OVER (PARTITION BY a.agency_id) AS size
        FROM agences_agent a
        JOIN auth_user u ON u.id = a.user_id AND u.is_active
        WHERE a.agency_id IN (SELECT agency_id FROM agencies)
          AND EXISTS (
              SELECT 1 FROM auth_user_groups ug JOIN auth_group g ON g.id = ug.group_id
              WHERE ug.user_id = u.id AND g.name = ANY(%(front_line)s))
    ),
    pending AS (
        SELECT t.id, c.home_agency_id, usual.id AS usual_id,
               row_number() OVER (
                   PARTITION BY c.home_agency_id, usual.id IS NULL ORDER BY t.id) AS rank
        FROM reconquete_campaigntarget t
        JOIN customers_customer c ON c.id = t.customer_id
        LEFT JOIN agences_agent usual ON usual.id = c.usual_contact_id
              AND usual.agency_id IN (SELECT agency_id FROM agencies)
        WHERE t.campaign_id = %(campaign)s AND t.contactable
    ),
    chosen AS (
        SELECT p.id, COALESCE(p.usual_id, pool.id) AS agent_id, p.usual_id IS NOT NULL AS usual
        FROM pending p
        LEFT JOIN pool ON p.usual_id IS NULL AND pool.agency_id = p.home_agency_id
              AND pool.rank = (p.rank - 1) %% pool.size + 1
    )
    UPDATE reconquete_campaigntarget t
    SET agent_id = chosen.agent_id, is_usual_contact = chosen.usual
    FROM chosen WHERE t.id = chosen.id AND chosen.agent_id IS NOT NULL
"""


def campaign_launch(
    *,
    campaign: Campaign,
    by: Agent,
    at: datetime.datetime | None = None,
    include_already_targeted: bool = False,
) -> LaunchReport:
    """Target the campaign's lost customers in one statement, sort the contactable from
    the others (consent, then a phone number or address for the channel), give each
    contactable customer an agent, and queue their e-mail and SMS (the campaign's written
    channels) in the outbox: committed with the targets, or not at all. Customers already
    in another campaign in progress are left out unless the manager asks to target them
    too."""
    at = at or timezone.now()
    with transaction.atomic():
        # lock: two overlapping campaigns launched at once would each miss the other's
        # targets; launches are rare, so they wait for one another
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('reconquete.campaign_launch'))")
        # lock: two managers pressing "launch" at once would target twice
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status != CampaignStatus.DRAFT:
            raise DomainError("already_launched", _("Cette campagne est déjà lancée."))
        agency_ids = set(campaign.agencies.values_list("id", flat=True))
        if not _may_steer(by, agency_ids):
            raise DomainError("forbidden", _("Cette campagne ne concerne pas votre agence."))
        with connection.cursor() as cursor:
            cursor.execute(
                TARGET,
                {
                    "campaign": campaign.pk,
                    "at": at,
                    "reasons": list(campaign.reasons),
                    "by_segment": campaign.segments.exists(),
                    "lost_from": campaign.lost_from,
                    "lost_to": campaign.lost_to,
                    "quiet_days": campaign.quiet_days,
                },
            )
            customer_ids = [row[0] for row in cursor.fetchall()]
            left_out: set[int] = set()
            if not include_already_targeted:
                cursor.execute(LEAVE_OUT_ALREADY_TARGETED, {"campaign": campaign.pk})
                left_out = {row[0] for row in cursor.fetchall()}
                customer_ids = [c for c in customer_ids if c not in left_out]
            consented: set[int] = set()
            for channel in campaign.channels:
                allowed, _refused = consent_split(
                    customer_ids=customer_ids, channel=channel, purpose=ConsentPurpose.MARKETING
                )
                consented |= allowed
                cursor.execute(
                    ALLOW_CHANNEL.format(check=CONTACT_POINT_CHECK[channel]),
                    {"channel": channel, "campaign": campaign.pk, "allowed": list(allowed)},
                )
            cursor.execute(
                CONTACTABILITY,
                {
                    "campaign": campaign.pk,
                    "consented": list(consented),
                    "channels": list(campaign.channels),
                },
            )
            cursor.execute(
                ASSIGN,
                {"campaign": campaign.pk, "front_line": [roles.AGENT, roles.SUPERVISOR]},
            )
            assigned = cursor.rowcount
        # after the assignment: each message is signed by the target's agent
        sent = campaign_messages_queue(campaign=campaign, at=at)
        campaign.status = CampaignStatus.ACTIVE
        campaign.launched_at = at
        campaign.save(update_fields=["status", "launched_at"])
        contactable = campaign.targets.filter(contactable=True).count()
    return LaunchReport(
        targeted=len(customer_ids),
        contactable=contactable,
        assigned=assigned,
        already_in_campaign=len(left_out),
        emails=sent.get("email", 0),
        sms=sent.get("sms", 0),
    )


def campaign_close(*, campaign: Campaign, by: Agent) -> Campaign:
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if not _may_steer(by, set(campaign.agencies.values_list("id", flat=True))):
            raise DomainError("forbidden", _("Cette campagne ne concerne pas votre agence."))
        if campaign.status != CampaignStatus.ACTIVE:
            raise DomainError("not_active", _("Seule une campagne en cours peut être terminée."))
        campaign.status = CampaignStatus.CLOSED
        campaign.save(update_fields=["status"])
        # held until its first day, or still retried: nothing leaves for a closed campaign
        campaign_messages_cancel(campaign=campaign)
    return campaign
