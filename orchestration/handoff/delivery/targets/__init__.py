"""The target types deliveries.yml can name, by their `type`."""

from handoff.delivery.targets.base import Target, TargetSettings
from handoff.delivery.targets.email import EmailSettings
from handoff.delivery.targets.file import FileSettings
from handoff.delivery.targets.hubspot import HubSpotSettings
from handoff.delivery.targets.push import PushSettings
from handoff.delivery.targets.salesforce import SalesforceSettings
from handoff.delivery.targets.slack import SlackSettings
from handoff.delivery.targets.webhook import WebhookSettings

SETTINGS_TYPES: dict[str, type[TargetSettings]] = {
    "file": FileSettings,
    "webhook": WebhookSettings,
    "salesforce": SalesforceSettings,
    "hubspot": HubSpotSettings,
    "slack": SlackSettings,
    "email": EmailSettings,
    "push": PushSettings,
}

__all__ = ["SETTINGS_TYPES", "Target", "TargetSettings"]
