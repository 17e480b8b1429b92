"""Inbox drops of new demo requests, for `handoff demo --live`, the latency benchmark and tests.

A drop is a folder with `leads.csv` and `marketing_events.csv` (one `demo_request` per lead, an
explicit-intent event: Tier 1) and, written last, `_READY` (handoff.inbox). The leads are clean
buyers at served, non-customer companies, so each one is routed.
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime, timedelta
from pathlib import Path

from handoff.contract import raw_tables

READY = "_READY"  # handoff.inbox.READY (the generator does not import the runtime's inbox)

# (country_code, region, industry, employees, revenue) of the companies the new leads work at
COMPANIES = (
    ("US", "CA", "software", 420, 64_000_000),
    ("GB", "ENG", "financial_services", 180, 22_000_000),
    ("US", "NY", "media", 95, 9_500_000),
    ("DE", "BY", "manufacturing", 650, 120_000_000),
    ("AU", "NSW", "professional_services", 60, 7_200_000),
)
TITLES = ("VP of Marketing", "Head of Revenue Operations", "Director of Sales", "CMO")


def write_demo_request_drop(
    inbox: Path, name: str, leads: int, now: datetime | None = None, first_number: int = 1
) -> tuple[Path, list[str]]:
    """Write drop `inbox/<name>` of `leads` new Tier 1 leads; (its folder, the lead ids).

    Lead ids are `LIVE-<name>-<n>`; the demo request happened a second before `now` (UTC).
    """
    now = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0, tzinfo=None)
    at = (now - timedelta(seconds=1)).strftime("%Y-%m-%d %H:%M:%S")
    folder = inbox / name
    folder.mkdir(parents=True, exist_ok=False)
    ids = [f"LIVE-{name}-{number:04d}" for number in range(first_number, first_number + leads)]
    lead_rows, event_rows = [], []
    for index, lead_id in enumerate(ids):
        country, region, industry, employees, revenue = COMPANIES[index % len(COMPANIES)]
        company = f"Livewire {name} {index}"
        domain = f"livewire-{name}-{index}.example".lower().replace("_", "-")
        lead_rows.append(
            {
                "lead_id": lead_id,
                "created_at": at,
                "email": f"buyer{index}@{domain}",
                "first_name": "Alex",
                "last_name": f"Buyer{index}",
                "job_title": TITLES[index % len(TITLES)],
                "company_name": company,
                "company_domain": domain,
                "country_code": country,
                "region": region,
                "industry": industry,
                "employee_count": employees,
                "annual_revenue_usd": revenue,
                "lead_source": "organic_search",
                "product_interest": "platform",
                "updated_at": at,
            }
        )
        event_rows.append(
            {
                "event_id": f"EV-{lead_id}",
                "lead_id": lead_id,
                "occurred_at": at,
                "event_type": "demo_request",
                "page_url": "https://www.example.com/demo",
                "form_timeline": "this_quarter",
            }
        )
    _write(folder / "leads.csv", raw_tables()["leads"].columns, lead_rows)
    _write(folder / "marketing_events.csv", raw_tables()["marketing_events"].columns, event_rows)
    (folder / READY).touch()  # last: the drop is complete
    return folder, ids


def _write(path: Path, columns: tuple[str, ...], rows: list[dict[str, object]]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), restval="")
        writer.writeheader()
        writer.writerows(rows)
