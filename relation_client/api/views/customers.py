"""Customers: list and search, create, read and change, caller lookup, timeline."""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param
from rest_framework.views import APIView

from relation_client.api.errors import CUSTOMER_ERASED, ApiNotFound, error_responses
from relation_client.api.idempotency import IDEMPOTENCY_KEY
from relation_client.api.models import ApiToken
from relation_client.api.pagination import IdCursorPagination, keyset_encode
from relation_client.api.permissions import IsStaffAgent
from relation_client.api.serializers.customers import (
    CustomerChangesInputSerializer,
    CustomerCreateInputSerializer,
    CustomerDetailSerializer,
    CustomerListLineSerializer,
    CustomerListQuerySerializer,
    LookupQuerySerializer,
    LookupResultSerializer,
)
from relation_client.api.serializers.touchpoints import (
    TimelinePageSerializer,
    TimelineQuerySerializer,
)
from relation_client.customers.models import Customer
from relation_client.customers.normalize import phone_display
from relation_client.customers.selectors import (
    SEARCH_COUNT_CAP,
    customer_detail,
    customer_search_page,
    customers_by_phone,
    customers_distinguishable,
    timeline_page,
)
from relation_client.customers.services import CustomerData, customer_create, customer_update
from relation_client.privacy.models import AuditAction
from relation_client.privacy.reads import audit_list_read
from relation_client.privacy.services import audit_record

TAGS = ["customers"]


def _not_found() -> ApiNotFound:
    return ApiNotFound(_("Ce client n'existe pas."), code="not_found")


def _customer_or_404(pk: int) -> Customer:
    """The full record (customer_detail), or the API's 404."""
    try:
        return customer_detail(customer_id=pk)
    except Customer.DoesNotExist:
        raise _not_found() from None


def _customer_ref_or_404(pk: int) -> Customer:
    """Only the id, for a service or selector that takes the customer."""
    customer = Customer.objects.only("id").filter(pk=pk).first()
    if customer is None:
        raise _not_found()
    return customer


def _token(request: Request) -> ApiToken | None:
    return request.auth if isinstance(request.auth, ApiToken) else None


def _audit_list(request: Request, shown: int, query: str = "", page: str = "") -> None:
    audit_list_read(
        user=request.user,
        channel="api",
        shown=shown,
        query=query,
        page=page,
        token=_token(request),
    )


def _audit(
    request: Request,
    action: str,
    customer_ids: list[int],
    code: str = "",
    params: dict | None = None,
    changes: dict | None = None,
) -> None:
    token = _token(request)
    audit_record(
        user=request.user,
        action=action,
        customer_ids=customer_ids,
        channel="api",
        code=code,
        params=params,
        token=token,
        changes=changes,
    )


class CustomerListPagination(IdCursorPagination):
    """The cursor pages of the list; a search answers pages by number, with its count."""

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"] = {
            "count": {
                "type": "integer",
                "description": "Avec `search` seulement : combien de clients correspondent "
                f"(au plus {SEARCH_COUNT_CAP}).",
            },
            "count_capped": {
                "type": "boolean",
                "description": "Avec `search` seulement : vrai s'il y en a plus que `count` "
                "(précisez la recherche pour les voir).",
            },
            **paginated["properties"],
        }
        return paginated


class CustomerListView(GenericAPIView):
    permission_classes = [IsStaffAgent]
    required_scopes = {"GET": "customers:read", "POST": "customers:write"}
    pagination_class = CustomerListPagination

    def get_queryset(self):
        return customers_distinguishable()

    @extend_schema(
        tags=TAGS,
        operation_id="customers_list",
        summary="Lister ou rechercher les clients",
        description=(
            "Avec `search` : les clients qui correspondent, les plus proches d'abord, par "
            f"pages de `limit` (`page`), avec leur nombre `count` (au plus {SEARCH_COUNT_CAP} : "
            "`count_capped` dit s'il y en a plus). Sans : tous les clients par pages de 50, "
            "dans l'ordre de création (`cursor`). Chaque ligne porte de quoi distinguer des "
            "homonymes : année de naissance, code postal et commune, interlocuteur habituel "
            "et son agence, segment, fin du téléphone."
        ),
        parameters=[CustomerListQuerySerializer],
        responses={200: CustomerListLineSerializer(many=True), **error_responses(400)},
    )
    def get(self, request: Request) -> Response:
        query = CustomerListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        search = query.validated_data.get("search", "")
        if search:
            return self._search(request, search, query.validated_data)
        page = self.paginate_queryset(self.get_queryset())
        _audit_list(request, len(page))
        return self.get_paginated_response(CustomerListLineSerializer(page, many=True).data)

    def _search(self, request: Request, search: str, params: dict) -> Response:
        number = params["page"]
        found = customer_search_page(query=search, page=number, per_page=params["limit"])
        if found.page.number != number:
            message = _("Cette page n'existe pas : la recherche compte %(pages)s page(s).") % {
                "pages": found.page.paginator.num_pages
            }
            raise ValidationError({"page": [ErrorDetail(message, code="out_of_range")]})
        _audit_list(request, len(found.lines), search, page=str(number) if number > 1 else "")
        url = request.build_absolute_uri()
        return Response(
            {
                "count": found.count,
                "count_capped": found.capped,
                "next": replace_query_param(url, "page", number + 1)
                if found.page.has_next()
                else None,
                "previous": replace_query_param(url, "page", number - 1)
                if found.page.has_previous()
                else None,
                "results": CustomerListLineSerializer(found.customers, many=True).data,
            }
        )

    @extend_schema(
        tags=TAGS,
        operation_id="customers_create",
        summary="Créer un client",
        description=(
            "Tout ou rien : un téléphone ou un e-mail invalide refuse la fiche entière. "
            "Si la personne semble déjà connue (même téléphone ou e-mail, ou nom et date "
            "de naissance très proches), réponse 409 avec les fiches proches : renvoyer "
            "avec `confirm_duplicate: true` pour créer quand même."
        ),
        request=CustomerCreateInputSerializer,
        parameters=[
            IDEMPOTENCY_KEY,
            OpenApiParameter(
                "Location",
                location=OpenApiParameter.HEADER,
                required=True,
                response=[201],
                description="Adresse de la fiche créée.",
            ),
        ],
        responses={
            201: CustomerDetailSerializer,
            **error_responses(
                post=True,
                duplicates=True,
                e409="Doublon probable (possible_duplicate), avec les fiches proches : "
                "renvoyer avec confirm_duplicate=true ; ou requête de même clé d'idempotence "
                "en cours (idempotency_in_progress).",
            ),
        },
        examples=[
            OpenApiExample(
                "Hélène",
                request_only=True,
                value={
                    "civility": "mme",
                    "first_name": "Hélène",
                    "last_name": "Dupont-Lefèvre",
                    "phones": ["06 12 34 56 78"],
                    "emails": ["helene.dupont@example.fr"],
                    "tags": ["mobilité réduite"],
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        serializer = CustomerCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        confirm = fields.pop("confirm_duplicate")
        created = customer_create(data=CustomerData(**fields), confirm_duplicate=confirm)
        customer = customer_detail(customer_id=created.pk)
        location = reverse("api:customer-detail", args=[customer.pk])
        return Response(
            CustomerDetailSerializer(customer).data,
            status=status.HTTP_201_CREATED,
            headers={"Location": location},
        )


class CustomerDetailView(APIView):
    permission_classes = [IsStaffAgent]
    required_scopes = {"GET": "customers:read", "PATCH": "customers:write"}

    @extend_schema(
        tags=TAGS,
        operation_id="customers_retrieve",
        summary="Lire la fiche d'un client",
        responses={200: CustomerDetailSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        customer = _customer_or_404(pk)
        _audit(request, AuditAction.VIEW, [customer.pk])
        return Response(CustomerDetailSerializer(customer).data)

    @extend_schema(
        tags=TAGS,
        operation_id="customers_partial_update",
        summary="Modifier la fiche d'un client",
        description="Seuls les champs envoyés changent ; `phones` et `emails` remplacent les "
        "coordonnées existantes.",
        request=CustomerChangesInputSerializer,
        responses={
            200: CustomerDetailSerializer,
            **error_responses(404, 409, body=True, e409=CUSTOMER_ERASED),
        },
    )
    def patch(self, request: Request, pk: int) -> Response:
        customer = _customer_ref_or_404(pk)
        serializer = CustomerChangesInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        phones, emails = changes.pop("phones", None), changes.pop("emails", None)
        _customer, changed = customer_update(
            customer=customer, changes=changes, phones=phones, emails=emails
        )
        _audit(
            request,
            AuditAction.CHANGE,
            [customer.pk],
            code="audit.fields",
            params={"fields": [str(name)[:40] for name in sorted(request.data)][:20]},
            changes=changed,
        )
        return Response(CustomerDetailSerializer(customer_detail(customer_id=pk)).data)


class CustomerLookupView(APIView):
    permission_classes = [IsStaffAgent]
    required_scopes = {"GET": "customers:read"}

    @extend_schema(
        tags=TAGS,
        operation_id="customers_lookup",
        summary="Identifier un appelant par son numéro",
        description=(
            "Tous les clients qui utilisent ce numéro (une ligne partagée les liste tous), "
            "avec leur interlocuteur habituel, ses disponibilités du jour, leurs demandes "
            "ouvertes et leurs derniers contacts."
        ),
        parameters=[LookupQuerySerializer],
        responses={
            200: LookupResultSerializer,
            **error_responses(
                400, 404, e404="Numéro inconnu (unknown_phone) : proposer de créer le client."
            ),
        },
    )
    def get(self, request: Request) -> Response:
        query = LookupQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        phone = query.validated_data["phone"]
        matches = customers_by_phone(raw=phone)
        if not matches:
            raise ApiNotFound(
                _("Aucun client connu pour le numéro %(phone)s.") % {"phone": phone_display(phone)},
                code="unknown_phone",
                field="phone",
            )
        _audit(
            request, AuditAction.VIEW, [m.customer.pk for m in matches], code="audit.incoming_call"
        )
        return Response(LookupResultSerializer({"count": len(matches), "results": matches}).data)


class CustomerTimelineView(APIView):
    permission_classes = [IsStaffAgent]
    required_scopes = {"GET": "customers:read"}

    @extend_schema(
        tags=TAGS,
        operation_id="customers_timeline",
        summary="Fil des contacts d'un client",
        description="Tous canaux confondus, du plus récent au plus ancien ; suivre `next`.",
        parameters=[TimelineQuerySerializer],
        responses={200: TimelinePageSerializer, **error_responses(400, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        query = TimelineQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        customer = _customer_ref_or_404(pk)
        _audit(request, AuditAction.VIEW, [customer.pk], code="audit.history")
        rows, after = timeline_page(
            customer=customer,
            before=query.validated_data.get("cursor"),
            size=query.validated_data["size"],
        )
        next_url = None
        if after is not None:
            next_url = replace_query_param(
                request.build_absolute_uri(), "cursor", keyset_encode(*after)
            )
        return Response(TimelinePageSerializer({"next": next_url, "results": rows}).data)
