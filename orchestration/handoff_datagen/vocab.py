"""The vocabulary of the synthetic data set: every enum value and name pool, in one place.

Later models and the demo rely on these exact values (teams, event types, channels, ...).
Lists are ordered: a value's index is its code in the generator's numpy arrays.
"""

from __future__ import annotations


def _words(text: str, separator: str | None = None) -> tuple[str, ...]:
    return tuple(text.split(separator))


# --- geography -----------------------------------------------------------------------------
# (country, weight, approximate UTC offset in hours, calling code, market)
# market: na / emea / apac / latam are served; "unserved" countries are a small share.
COUNTRIES: tuple[tuple[str, float, float, str, str], ...] = (
    ("US", 37.0, -6.0, "1", "na"),
    ("CA", 5.0, -5.0, "1", "na"),
    ("GB", 9.0, 0.0, "44", "emea"),
    ("DE", 7.0, 1.0, "49", "emea"),
    ("FR", 4.0, 1.0, "33", "emea"),
    ("NL", 2.5, 1.0, "31", "emea"),
    ("IE", 1.5, 0.0, "353", "emea"),
    ("IL", 1.5, 2.0, "972", "emea"),
    ("ES", 2.0, 1.0, "34", "emea"),
    ("SE", 1.5, 1.0, "46", "emea"),
    ("IN", 6.0, 5.5, "91", "apac"),
    ("AU", 5.0, 10.0, "61", "apac"),
    ("SG", 2.0, 8.0, "65", "apac"),
    ("JP", 2.0, 9.0, "81", "apac"),
    ("NZ", 1.0, 12.0, "64", "apac"),
    ("BR", 3.0, -3.0, "55", "latam"),
    ("MX", 2.0, -6.0, "52", "latam"),
    ("RU", 0.6, 3.0, "7", "unserved"),
    ("IR", 0.2, 3.5, "98", "unserved"),
    ("KP", 0.05, 9.0, "850", "unserved"),
    ("CU", 0.1, -5.0, "53", "unserved"),
    ("SY", 0.1, 3.0, "963", "unserved"),
    ("BY", 0.2, 3.0, "375", "unserved"),
)
COUNTRY_CODES = tuple(c[0] for c in COUNTRIES)
MARKETS = ("na", "emea", "apac", "latam", "unserved")

# Regions are filled for these countries: (country, region, weight, UTC offset in hours).
REGIONS: tuple[tuple[str, str, float, float], ...] = (
    ("US", "CA", 12, -8),
    ("US", "NY", 9, -5),
    ("US", "TX", 8, -6),
    ("US", "WA", 5, -8),
    ("US", "MA", 5, -5),
    ("US", "IL", 5, -6),
    ("US", "FL", 5, -5),
    ("US", "GA", 3, -5),
    ("US", "CO", 3, -7),
    ("US", "NC", 3, -5),
    ("US", "NJ", 3, -5),
    ("US", "VA", 3, -5),
    ("US", "OH", 2, -5),
    ("US", "PA", 3, -5),
    ("US", "MN", 2, -6),
    ("US", "AZ", 2, -7),
    ("US", "OR", 2, -8),
    ("US", "MI", 2, -5),
    ("CA", "ON", 5, -5),
    ("CA", "QC", 3, -5),
    ("CA", "BC", 3, -8),
    ("CA", "AB", 2, -7),
    ("AU", "NSW", 5, 10),
    ("AU", "VIC", 4, 10),
    ("AU", "QLD", 2, 10),
    ("AU", "WA", 1, 8),
    ("IN", "Maharashtra", 4, 5.5),
    ("IN", "Karnataka", 4, 5.5),
    ("IN", "Delhi", 3, 5.5),
    ("IN", "Tamil Nadu", 2, 5.5),
    ("IN", "Telangana", 2, 5.5),
)
REGION_NAMES = tuple(r[1] for r in REGIONS)

# --- firmographics -------------------------------------------------------------------------
INDUSTRIES: tuple[tuple[str, float], ...] = (
    ("software", 22),
    ("financial_services", 12),
    ("healthcare", 10),
    ("manufacturing", 10),
    ("retail", 9),
    ("education", 5),
    ("government", 4),
    ("media", 6),
    ("telecommunications", 5),
    ("professional_services", 12),
    ("nonprofit", 5),
)
INDUSTRY_NAMES = tuple(i[0] for i in INDUSTRIES)

# Job titles by seniority level: 0 C-level, 1 VP, 2 director, 3 manager, 4 individual
# contributor, 5 student / intern.
TITLE_LEVELS: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    (
        "c_level",
        6,
        (
            "CEO",
            "CTO",
            "CFO",
            "COO",
            "CMO",
            "Chief Revenue Officer",
            "Chief Data Officer",
            "Founder & CEO",
            "Co-Founder",
        ),
    ),
    (
        "vp",
        10,
        (
            "VP of Sales",
            "Vice President, Marketing",
            "VP Engineering",
            "SVP Operations",
            "VP of Data",
            "VP Revenue Operations",
        ),
    ),
    (
        "director",
        16,
        (
            "Director of Operations",
            "Head of Analytics",
            "Director of Marketing",
            "Director, IT",
            "Head of Growth",
            "Sales Director",
            "Head of Data",
        ),
    ),
    (
        "manager",
        24,
        (
            "Marketing Manager",
            "Sales Operations Manager",
            "Engineering Manager",
            "Product Manager",
            "IT Manager",
            "Analytics Manager",
            "Demand Generation Manager",
        ),
    ),
    (
        "individual",
        30,
        (
            "Analyst",
            "Data Engineer",
            "Software Engineer",
            "Marketing Specialist",
            "Business Analyst",
            "Consultant",
            "Data Scientist",
            "Marketing Coordinator",
            "Sales Development Representative",
        ),
    ),
    ("student", 2, ("Student", "Intern", "PhD Candidate", "Graduate Student", "Marketing Intern")),
)
TITLES = tuple(title for _, _, titles in TITLE_LEVELS for title in titles)
# Seniority level -> propensity to buy (0..1), used for intent and conversion.
LEVEL_QUALITY = (0.9, 0.9, 0.8, 0.6, 0.4, 0.05)
BLANK_TITLE_QUALITY = 0.4

FIRST_NAMES: tuple[tuple[str, str], ...] = (
    *(
        (name, name.lower())
        for name in _words(
            "James Mary Robert Patricia John Jennifer Michael Linda David Elizabeth William "
            "Barbara Richard Susan Joseph Jessica Thomas Sarah Charles Karen Daniel Nancy "
            "Matthew Lisa "
            "Anthony Betty Mark Sandra Priya Rahul Ananya Arjun Wei Mei Hiroshi Yuki Olivia Liam "
            "Emma Noah Sophie Lukas Hannah Felix Chloe Lucas Camille Hugo Lena Jonas Sven Ingrid "
            "Fatima Omar Noa Yosef Tamar Aisha Chen Min-jun Ji-woo Carlos Lucia Mateo Valentina "
            "Isabella Diego Amelia Jack Grace Oliver Ava Ethan Mia Aiden Zara Ravi Kavya"
        )
    ),
    *(("José", "jose"), ("Zoë", "zoe"), ("Søren", "soren"), ("Björn", "bjorn"), ("Renée", "renee")),
)
LAST_NAMES: tuple[tuple[str, str], ...] = (
    *(
        (name, name.lower())
        for name in _words(
            "Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez "
            "Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee Thompson White "
            "Harris Clark Lewis Robinson Walker Young Allen Patel Sharma Gupta Singh Kumar Wang Li "
            "Zhang Liu Chen Tanaka Suzuki Sato Kim Park Nguyen Tran Muller Schmidt Schneider "
            "Fischer Weber Meyer Wagner Becker Dubois Moreau Laurent Bernard Rossi Russo "
            "Ferrari Jansen "
            "Bakker Visser Cohen Levi Mizrahi Friedman Andersson Johansson Murphy Kelly Walsh "
            "Silva Santos Oliveira Costa Fernandez Ramos"
        )
    ),
    *(("O'Brien", "obrien"), ("Müller", "mueller"), ("García", "garcia"), ("Nüñez", "nunez")),
)

# Company pool: name = W1 + w2 + " " + kind; domain = lower(W1 + w2 + kind) + tld.
COMPANY_WORDS_1 = _words(
    "Acme Northwind Bright Blue Summit Silver Pioneer Cedar Harbor Quantum Apex Evergreen "
    "Granite Crescent Atlas Nova Vertex Iron Maple Lumen Orchid Falcon Copper Sterling Red "
    "Golden Swift Polar Coral Delta Echo Harvest Meridian Oak Prairie Radiant Sapphire Terra "
    "Union Vista Willow Zenith Aurora Beacon Cobalt Crimson Emerald Fjord Glacier Horizon "
    "Indigo Juniper Keystone Lunar Mosaic Nimbus Onyx Pinnacle Quarry Riverside Solstice Tidal"
)
COMPANY_WORDS_2 = _words(
    "wave field stone point ridge bridge light path works gate line peak forge vale crest "
    "bay brook dale hill land mark port rock shore side spring star view wood core cloud"
)
COMPANY_KINDS = _words(
    (
        "Labs|Systems|Group|Technologies|Health|Partners|Foods|Logistics|Analytics|Media|Bank|"
        "Energy|Retail|Software|Consulting|Manufacturing|Insurance|Capital|Networks|Studios"
    ),
    "|",
)
COMPANY_TLDS = (".com", ".com", ".com", ".com", ".io", ".co", ".net")

PERSONAL_EMAIL_DOMAINS = ("gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com")
UNIVERSITIES: tuple[tuple[str, str], ...] = (
    ("Northfield University", "northfield.edu"),
    ("Lakeside State University", "lakeside-state.edu"),
    ("Westbrook Institute of Technology", "westbrook-tech.edu"),
    ("Kingsbridge University", "kingsbridge.ac.uk"),
    ("University of Westmoor", "westmoor.ac.uk"),
)
COMPETITORS: tuple[tuple[str, str], ...] = (
    ("RivalCRM", "rivalcrm.com"),
    ("Leadzilla", "leadzilla.io"),
    ("PipeForce", "pipeforce.com"),
)
# persona kinds of a lead's email address
PERSONA_KINDS = ("company", "personal", "student", "competitor")

LEAD_SOURCES: tuple[tuple[str, float], ...] = (
    ("paid_search", 22),
    ("organic_search", 18),
    ("webinar", 12),
    ("content_syndication", 12),
    ("referral", 8),
    ("event", 8),
    ("social", 12),
    ("partner", 8),
)
LEAD_SOURCE_NAMES = tuple(s[0] for s in LEAD_SOURCES)
PRODUCT_INTERESTS: tuple[tuple[str, float], ...] = (
    ("analytics", 40),
    ("automation", 35),
    ("platform", 25),
)
PRODUCT_INTEREST_NAMES = tuple(p[0] for p in PRODUCT_INTERESTS)

TECHNOLOGIES = (
    "salesforce",
    "hubspot",
    "marketo",
    "snowflake",
    "databricks",
    "dbt",
    "aws",
    "gcp",
    "azure",
    "segment",
    "zendesk",
    "slack",
)
TECHNOLOGY_SHARE = (0.45, 0.3, 0.15, 0.25, 0.12, 0.15, 0.5, 0.2, 0.3, 0.12, 0.2, 0.55)
ENRICHMENT_PROVIDERS = ("clearbit", "zoominfo")

# --- marketing -----------------------------------------------------------------------------
CAMPAIGN_CHANNELS = ("paid_search", "social", "email", "webinar", "event", "content_syndication")
# Lead source -> campaign channel the lead's campaign comes from (None: usually no campaign).
SOURCE_CAMPAIGN_CHANNEL = {
    "paid_search": "paid_search",
    "social": "social",
    "webinar": "webinar",
    "event": "event",
    "content_syndication": "content_syndication",
    "organic_search": "email",
    "referral": None,
    "partner": None,
}

EVENT_TYPES = (
    "page_view",
    "email_open",
    "email_click",
    "content_download",
    "pricing_page_view",
    "case_study_view",
    "webinar_registration",
    "webinar_attended",
    "competitor_comparison_view",
    "form_submit",
    "event_attended",
    "demo_request",
    "pricing_inquiry",
    "free_trial_start",
    "contact_sales",
    "chat_started",
    "video_play",
)
INTENT_EVENT_TYPES = ("demo_request", "pricing_inquiry", "free_trial_start", "contact_sales")
INTENT_WEIGHTS = (0.45, 0.2, 0.1, 0.25)
# Events that show strong engagement (the generator's own notion of a "hot" lead).
HIGH_VALUE_EVENT_TYPES = (
    "content_download",
    "pricing_page_view",
    "case_study_view",
    "webinar_attended",
    "competitor_comparison_view",
    "event_attended",
)
FORM_EVENT_TYPES = ("form_submit", "demo_request", "pricing_inquiry", "contact_sales")
# Per-event type mix after the first event, for ordinary and for engaged leads.
EVENT_MIX_ORDINARY = {
    "page_view": 0.50,
    "email_open": 0.17,
    "email_click": 0.06,
    "content_download": 0.04,
    "pricing_page_view": 0.04,
    "case_study_view": 0.03,
    "webinar_registration": 0.02,
    "webinar_attended": 0.012,
    "competitor_comparison_view": 0.01,
    "form_submit": 0.025,
    "event_attended": 0.008,
    "chat_started": 0.003,
    "video_play": 0.004,
}
EVENT_MIX_ENGAGED = {
    "page_view": 0.42,
    "email_open": 0.13,
    "email_click": 0.07,
    "content_download": 0.06,
    "pricing_page_view": 0.08,
    "case_study_view": 0.05,
    "webinar_registration": 0.03,
    "webinar_attended": 0.025,
    "competitor_comparison_view": 0.02,
    "form_submit": 0.03,
    "event_attended": 0.012,
    "chat_started": 0.004,
    "video_play": 0.005,
}
# The event that created the lead, by lead source.
FIRST_EVENT_BY_SOURCE = {
    "paid_search": "form_submit",
    "organic_search": "form_submit",
    "webinar": "webinar_registration",
    "content_syndication": "content_download",
    "referral": "form_submit",
    "event": "event_attended",
    "social": "content_download",
    "partner": "form_submit",
}
# Event type -> campaign channel its campaign comes from ("lead": the lead's own campaign).
EVENT_CAMPAIGN_CHANNEL = {
    "email_open": "email",
    "email_click": "email",
    "webinar_registration": "webinar",
    "webinar_attended": "webinar",
    "event_attended": "event",
}
SITE = "https://www.example.com"
# Event type -> pages it happens on (None: no page).
EVENT_PAGES: dict[str, tuple[str, ...]] = {
    "page_view": (
        "/",
        "/product/analytics",
        "/product/automation",
        "/platform",
        "/integrations",
        "/blog/lead-scoring-101",
        "/blog/speed-to-lead",
        "/blog/routing-playbook",
        "/docs/getting-started",
        "/about",
        "/careers",
        "/security",
        "/customers",
    ),
    "pricing_page_view": ("/pricing", "/pricing/enterprise"),
    "case_study_view": (
        "/customers/northwind-retail",
        "/customers/summit-health",
        "/customers/apex-bank",
        "/customers/atlas-logistics",
    ),
    "competitor_comparison_view": (
        "/compare/rivalcrm",
        "/compare/leadzilla",
        "/compare/pipeforce",
    ),
    "content_download": (
        "/resources/ebook-lead-handoff",
        "/resources/benchmark-report",
        "/resources/whitepaper-sla",
    ),
    "email_click": ("/lp/webinar", "/lp/analytics-trial", "/blog/speed-to-lead"),
    "webinar_registration": ("/webinars/register",),
    "form_submit": ("/contact", "/newsletter", "/resources/ebook-lead-handoff"),
    "demo_request": ("/demo",),
    "contact_sales": ("/contact-sales",),
    "pricing_inquiry": ("/pricing/quote",),
    "free_trial_start": ("/signup",),
    "chat_started": ("/pricing", "/"),
    "video_play": ("/product/analytics", "/customers"),
}
PAGE_URLS = tuple(dict.fromkeys(SITE + p for pages in EVENT_PAGES.values() for p in pages))
# Content pool: ids CNT-001.. ; event type -> (first, last) content number it uses.
CONTENT_COUNT = 60
EVENT_CONTENT: dict[str, tuple[int, int]] = {
    "content_download": (1, 30),
    "case_study_view": (31, 45),
    "webinar_registration": (46, 60),
    "webinar_attended": (46, 60),
    "video_play": (31, 60),
}
FORM_TIMELINES = ("immediately", "this_quarter", "this_year", "no_plans")
FORM_BUDGET_STATUSES = ("approved", "planned", "none", "unknown")
UNKNOWN_FORM_TIMELINE = "someday"

# --- sales ---------------------------------------------------------------------------------
TEAMS = ("north_america", "emea", "apac", "enterprise", "inbound")
ROLES = ("sdr", "ae", "manager")
ACTIVITY_CHANNELS = ("email", "call", "linkedin", "sms", "meeting")
UNKNOWN_ACTIVITY_CHANNEL = "fax"
DIRECTIONS = ("outbound", "inbound")
CALL_OUTCOMES = ("connected", "voicemail", "no_answer")
DISPOSITION_STATUSES = ("accepted", "rejected", "working", "converted")
UNKNOWN_DISPOSITION_STATUS = "maybe"
REJECTION_REASONS = (
    "wrong_persona",
    "wrong_company_size",
    "no_budget",
    "already_customer",
    "timing_mismatch",
    "competitor",
    "student",
    "duplicate",
    "bad_data",
    "other",
)
DISPOSITION_NOTES = (
    "Left voicemail, will retry tomorrow",
    "Spoke briefly, wants a follow-up next week",
    "Budget planned for next fiscal year",
    "Not the decision maker, asked for intro",
    "Booked discovery call",
    "Evaluating a competitor",
    "Email bounced",
    "Asked for pricing sheet",
)
OPPORTUNITY_OPEN_STAGES = ("qualification", "discovery", "proposal", "negotiation")
OPPORTUNITY_STAGES = (*OPPORTUNITY_OPEN_STAGES, "closed_won", "closed_lost")
TIME_OFF_REASONS = ("vacation", "sick", "personal", "conference", "training")

# Garbage a CRM export really contains, for the "unparseable timestamp" bad rows.
GARBAGE_TIMESTAMPS = ("not a date", "2026-13-45 25:61:00")
UNKNOWN_TIME_ZONE = "Mars/Olympus_Mons"
