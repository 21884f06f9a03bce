"""How drf-spectacular describes the API (settings.SPECTACULAR_SETTINGS): the schema at
/api/schema/, the offline Swagger UI at /api/docs/."""

SPECTACULAR_SETTINGS = {
    "TITLE": "Relation Client API",
    "DESCRIPTION": "API des applications partenaires (billettique, réseaux sociaux, enquêtes).",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_INCLUDE_SCHEMA": False,
    # input and output serializers differ: one component each in the schema
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]+",
    # several models have a "kind" or a "status": name each enum after its model
    "ENUM_NAME_OVERRIDES": {
        "IdentifierKindEnum": "relation_client.customers.models.IdentifierKind",
        "TouchpointKindEnum": "relation_client.touchpoints.models.TouchpointKind",
        "GestureKindEnum": "relation_client.touchpoints.models.GestureKind",
        "GestureStatusEnum": "relation_client.touchpoints.models.GestureStatus",
        "RequestStatusEnum": "relation_client.touchpoints.models.RequestStatus",
    },
}
