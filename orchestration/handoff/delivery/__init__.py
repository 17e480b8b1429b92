"""Delivery of the outbound feeds to the systems that act (contract section 5): `handoff deliver`.

- `feeds`: the feeds, their keys, rows as JSON, idempotency keys of batches
- `config`: deliveries.yml (targets, retry policy; secrets only named, read from the env)
- `log`: ops.delivery_log, owned here (intent -> send -> result)
- `engine`: a run: targets in parallel, retries with backoff, split refused batches, replay
- `messages`: what a rep reads (jinja2), in their time zone, without contact details
- `targets/`: file, webhook, salesforce, hubspot, slack, email, push
- `summary`: the per-target table printed at the end of a run
"""

from handoff.delivery.config import DeliveryConfig, load_config
from handoff.delivery.engine import RunReport, TargetReport, deliver
from handoff.delivery.feeds import FEEDS

__all__ = ["FEEDS", "DeliveryConfig", "RunReport", "TargetReport", "deliver", "load_config"]
