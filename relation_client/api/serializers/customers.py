"""Customers: create and change (input); summary, full record and caller match (output)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from agences.models import Agency, Agent
from relation_client.api.serializers.common import (
    AgencyRefSerializer,
    AgentRefSerializer,
    InputSerializer,
    QuerySerializer,
    SegmentRefSerializer,
    UsualContactSerializer,
)
from relation_client.api.serializers.touchpoints import TouchpointBriefSerializer
from relation_client.customers.distinguishers import birth_year, phone_ending, place_of
from relation_client.customers.models import Civility, Customer, Identifier, Segment
from relation_client.customers.normalize import phone_display, phone_normalize
from relation_client.customers.selectors import SEARCH_LIMIT, contact_points_of
from relation_client.touchpoints.models import Request
from socle.errors import DomainError

LANGUAGES = Customer._meta.get_field("preferred_language").choices

# --- input ---------------------------------------------------------------------------------


# PATCH: only the fields sent change; phones and emails, when sent, replace the
# current ones. Phones and e-mails are checked by the service (invalid_phone,
# invalid_email), before anything is written.
class CustomerChangesInputSerializer(InputSerializer):
    civility = serializers.ChoiceField(choices=Civility.choices, allow_blank=True, required=False)
    first_name = serializers.CharField(max_length=100, required=False)
    last_name = serializers.CharField(max_length=100, required=False)
    preferred_name = serializers.CharField(max_length=100, allow_blank=True, required=False)
    preferred_language = serializers.ChoiceField(choices=LANGUAGES, required=False)
    birth_date = serializers.DateField(allow_null=True, required=False)
    postal_address = serializers.CharField(allow_blank=True, required=False)
    needs = serializers.CharField(
        allow_blank=True, required=False, help_text=_("Besoins et préférences notés par l'équipe.")
    )
    tags = serializers.ListField(child=serializers.CharField(max_length=40), required=False)
    segment = serializers.PrimaryKeyRelatedField(
        queryset=Segment.objects.all(), allow_null=True, required=False
    )
    home_agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.all(), allow_null=True, required=False
    )
    usual_contact = serializers.PrimaryKeyRelatedField(
        queryset=Agent.objects.all(),
        allow_null=True,
        required=False,
        help_text=_("Identifiant de l'agent interlocuteur habituel."),
    )
    phones = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        help_text=_("Toute écriture française ou internationale : « 06 12 34 56 78 »…"),
    )
    emails = serializers.ListField(child=serializers.CharField(max_length=254), required=False)


# The fields left out take CustomerData's defaults.
class CustomerCreateInputSerializer(CustomerChangesInputSerializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100)
    cards = serializers.ListField(
        child=serializers.CharField(max_length=40), required=False, help_text=_("Numéros de carte.")
    )
    contracts = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        help_text=_("Numéros de contrat."),
    )
    confirm_duplicate = serializers.BooleanField(
        default=False,
        help_text=_("Créer malgré un doublon probable signalé par une réponse 409."),
    )


class CustomerListQuerySerializer(QuerySerializer):
    search = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text=_(
            "Nom (sans tenir compte des accents, de la casse ni des petites fautes), "
            "téléphone, e-mail ou numéro de carte. Sans recherche : tous les clients, "
            "par pages."
        ),
    )
    limit = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=50,
        default=SEARCH_LIMIT,
        help_text=_("Nombre de résultats par page d'une recherche."),
    )
    page = serializers.IntegerField(
        required=False,
        min_value=1,
        default=1,
        help_text=_(
            "Page d'une recherche, à partir de 1 (suivre plutôt les liens next et previous)."
        ),
    )


class PhoneField(serializers.CharField):
    """A phone number in any usual spelling, validated into E.164."""

    def to_internal_value(self, data):
        text = super().to_internal_value(data)
        try:
            return phone_normalize(text)
        except DomainError as error:
            raise serializers.ValidationError(str(error.message), code=error.code) from None


class LookupQuerySerializer(QuerySerializer):
    phone = PhoneField(
        max_length=40,
        help_text=_(
            "Le numéro appelant, dans toute écriture : 06 12 34 56 78, 0612345678, "
            "+33 6 12 34 56 78, 0033612345678."
        ),
    )


# --- output --------------------------------------------------------------------------------


class PhoneSerializer(serializers.Serializer):
    e164 = serializers.CharField(source="value")
    display = serializers.SerializerMethodField()
    label = serializers.CharField()

    def get_display(self, point) -> str:
        return phone_display(point.value)


class IdentifierSerializer(serializers.ModelSerializer):
    class Meta:
        model = Identifier
        fields = ["kind", "number"]


class OpenRequestSerializer(serializers.ModelSerializer):
    class Meta:
        model = Request
        fields = ["id", "subject", "status", "deadline", "channel"]


SUMMARY_FIELDS = [
    "id",
    "salutation",
    "first_name",
    "last_name",
    "civility",
    "preferred_name",
    "segment",
    "home_agency",
    "usual_contact",
]


# A line of a list: needs segment, home agency and usual contact loaded.
class CustomerSummarySerializer(serializers.ModelSerializer):
    salutation = serializers.CharField(
        read_only=True, help_text=_("Comment saluer la personne, ex. « Mme Hélène Dupont »")
    )
    segment = SegmentRefSerializer(allow_null=True)
    home_agency = AgencyRefSerializer(allow_null=True)
    usual_contact = AgentRefSerializer(allow_null=True)

    class Meta:
        model = Customer
        fields = SUMMARY_FIELDS


class AgentWithAgencySerializer(AgentRefSerializer):
    agency = AgencyRefSerializer()

    class Meta(AgentRefSerializer.Meta):
        fields = [*AgentRefSerializer.Meta.fields, "agency"]


# A line of the list or of a search, with what tells namesakes apart: needs
# customers_distinguishable() (usual contact's agency and phones loaded).
class CustomerListLineSerializer(CustomerSummarySerializer):
    usual_contact = AgentWithAgencySerializer(allow_null=True)
    birth_year = serializers.SerializerMethodField(
        help_text=_("Année de naissance, si elle est connue.")
    )
    postal_code = serializers.SerializerMethodField(
        help_text=_("Code postal lu dans l'adresse postale (vide s'il n'y en a pas).")
    )
    town = serializers.SerializerMethodField(
        help_text=_("Commune lue dans l'adresse postale (vide s'il n'y en a pas).")
    )
    phone_ending = serializers.SerializerMethodField(
        help_text=_("Les deux derniers chiffres du premier téléphone, ex. « 78 »."),
    )

    class Meta(CustomerSummarySerializer.Meta):
        fields = [*SUMMARY_FIELDS, "birth_year", "postal_code", "town", "phone_ending"]

    def get_birth_year(self, customer: Customer) -> int | None:
        return birth_year(customer)

    def get_postal_code(self, customer: Customer) -> str:
        place = place_of(customer.postal_address)
        return place.postal_code if place else ""

    def get_town(self, customer: Customer) -> str:
        place = place_of(customer.postal_address)
        return place.town if place else ""

    def get_phone_ending(self, customer: Customer) -> str:
        return phone_ending(customer)


# The whole record but the timeline: render what customer_detail() loads.
class CustomerDetailSerializer(CustomerSummarySerializer):
    usual_contact = UsualContactSerializer(allow_null=True)
    phones = serializers.SerializerMethodField()
    emails = serializers.SerializerMethodField()
    identifiers = IdentifierSerializer(many=True)
    open_requests = OpenRequestSerializer(many=True, source="open_requests_list")

    class Meta(CustomerSummarySerializer.Meta):
        fields = [
            *SUMMARY_FIELDS,
            "preferred_language",
            "birth_date",
            "postal_address",
            "needs",
            "tags",
            "phones",
            "emails",
            "identifiers",
            "open_requests",
        ]

    @extend_schema_field(PhoneSerializer(many=True))
    def get_phones(self, customer: Customer) -> list:
        phones, _emails = contact_points_of(customer)
        return PhoneSerializer(phones, many=True).data

    def get_emails(self, customer: Customer) -> list[str]:
        _phones, emails = contact_points_of(customer)
        return [point.value for point in emails]


# One customer using the calling number (a CallerMatch), with what the agent needs
# to greet and route them.
class CallerMatchSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="customer.id")
    salutation = serializers.CharField(source="customer.salutation")
    first_name = serializers.CharField(source="customer.first_name")
    last_name = serializers.CharField(source="customer.last_name")
    civility = serializers.ChoiceField(choices=Civility.choices, source="customer.civility")
    preferred_name = serializers.CharField(source="customer.preferred_name")
    preferred_language = serializers.ChoiceField(
        choices=LANGUAGES, source="customer.preferred_language"
    )
    needs = serializers.CharField(source="customer.needs")
    segment = SegmentRefSerializer(source="customer.segment", allow_null=True)
    home_agency = AgencyRefSerializer(source="customer.home_agency", allow_null=True)
    usual_contact = UsualContactSerializer(source="customer.usual_contact", allow_null=True)
    open_requests = OpenRequestSerializer(many=True)
    latest_touchpoints = TouchpointBriefSerializer(many=True)


class LookupResultSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    results = CallerMatchSerializer(many=True)
