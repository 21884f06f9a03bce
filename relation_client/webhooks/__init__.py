"""Outbound webhooks: partner applications are told when something happens.

Events are written to an outbox (one WebhookDelivery row per subscribed endpoint) in the
same transaction as the change they describe, then sent by Celery with retries; the
contract partners rely on is docs/webhooks.md.
"""
