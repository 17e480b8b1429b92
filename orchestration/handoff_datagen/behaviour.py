"""How the sales team behaves when it answers the warehouse's handoffs: the demo's promise.

`handoff demo` lets the reps respond to what the warehouse handed them (`plan`): every lead
is touched at a fraction of *its own* SLA window (business time on the SLA rep's calendar, or
calendar minutes when the warehouse gave the lead a calendar-minute deadline). The fraction is
log-normal with a median chosen so that a rep touches a share `on_time(rep, tier)` of their
leads by the deadline; the constants below set those shares, so compliance lands where this
module promises:

- ordinary reps (`ON_TIME`) sit at the top of the compliance bands of the seed
  `compliance_targets` (85-95 %, 75-90 %, 70-90 %), each rep a little better or worse
  (`REP_SPREAD`), so that a team holding one slow rep still lands inside its bands week after
  week (with five to twenty leads a week per team and tier, a team whose expected rate sits
  just above the band's floor would fall below it two weeks in a row by chance);
- one team, `SLOW_TEAM`, answers clearly below its bands all the time (`SLOW_TEAM_ON_TIME`):
  most complete weeks are below, so `compliance_drops` raises a `compliance_drop` alert;
- a few named reps, `SLOW_REPS`, are fast enough on the hot Tier 1 leads but let Tier 2 and
  Tier 3 leads wait far past their deadlines (`SLOW_REP_ON_TIME`): they breach most often and
  top `rep_violation_ladder` (most reps stay at `none` or `first`);
- a share of every late rep's leads is never touched at all (`NEVER_TOUCHED_OF_LATE`): breaches
  that stay open;
- the holder acknowledges most leads inside the tier's escalation window (`ACK_ON_TIME`), so
  only a minority is escalated; a backup who receives an escalated lead acknowledges most of
  them (`BACKUP_ACK`; the manager most of the rest, `MANAGER_ACK`) and, after an escalation,
  often makes the first touch (`BACKUP_TOUCHES_ESCALATED`).

`PROMISED_COMPLIANCE` is the range each tier's overall compliance (met / decided leads of
`lead_sla`, all teams) lands in; it is the default bands. The demo's test
(tests/python/test_demo.py) reads these constants and checks them, the slow team and the slow
reps on a demo of 3,000 leads over 42 days (and, in CI, of the default 5,000 over 60 days).
Smaller demos are noisier: with 2,000 leads over 28 days a week of a team holds a handful of
leads per tier, and an ordinary rep with many leads can outrank a slow one on the ladder.

The standalone generator (`handoff generate`, no warehouse) keeps its own approximate model
in `sales` (it cannot know the warehouse's tiers and deadlines): its data is coherent, its SLA
numbers are not meant to be realistic.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np

from handoff_datagen.vocab import TEAMS

TIERS = (1, 2, 3)
# share of a rep's leads touched by the SLA deadline, per tier
ON_TIME = {1: 0.96, 2: 0.92, 3: 0.90}
SLOW_TEAM = "apac"
SLOW_TEAM_ON_TIME = {1: 0.72, 2: 0.60, 3: 0.58}
# rep ids (R%03d, roster order): an SDR in Chicago (north_america) and one in Berlin (emea),
# the two biggest teams, so neither drags their team below its band; they are always active
# and take a full round-robin share (routing weight 1), so their breaches show
SLOW_REPS = ("R006", "R015")
SLOW_REP_ON_TIME = {1: 0.85, 2: 0.50, 3: 0.20}
REP_SPREAD = 0.15  # standard deviation of a rep's quality, in probit units
# how far a late touch lands past its deadline: log-normal spread of the window fraction
WINDOW_SIGMA = 0.9
NEVER_TOUCHED_OF_LATE = 0.3
# acknowledgement by the holder inside the tier's escalation window
ACK_ON_TIME = {"ordinary": 0.92, "slow_team": 0.8, "slow_rep": 0.6}
ACK_MISSING_OF_LATE = 0.5  # of the late acknowledgements, the share that never comes
BACKUP_ACK = 0.85  # a backup acknowledges an escalated lead, mostly early in their window
MANAGER_ACK = 0.7  # ... and when the backup does not, the manager who receives it next
BACKUP_TOUCHES_ESCALATED = 0.5
PROMISED_COMPLIANCE = {1: (0.85, 0.95), 2: (0.75, 0.90), 3: (0.70, 0.90)}


def _quantile(share: float) -> float:
    return NormalDist().inv_cdf(share)


def rep_quality(team: np.ndarray, rep_ids: list[str], rng: np.random.Generator) -> np.ndarray:
    """Per rep and tier (columns 1-3; column 0 unused) the probit of the share of leads the rep
    touches by the deadline: `on_time = Phi(quality)`. A small table (reps x tiers).

    `team` holds codes into `vocab.TEAMS`.
    """
    slow_team = team == TEAMS.index(SLOW_TEAM)
    slow_rep = np.isin(np.asarray(rep_ids), SLOW_REPS)
    spread = REP_SPREAD * rng.standard_normal(len(rep_ids))
    table = np.zeros((len(rep_ids), 1 + len(TIERS)))
    for tier in TIERS:
        table[:, tier] = spread + np.select(
            [slow_rep, slow_team],
            [_quantile(SLOW_REP_ON_TIME[tier]), _quantile(SLOW_TEAM_ON_TIME[tier])],
            _quantile(ON_TIME[tier]),
        )
    return table


def ack_quality(team: np.ndarray, rep_ids: list[str]) -> np.ndarray:
    """Per rep: the probit of the share of leads acknowledged inside the escalation window."""
    slow_team = team == TEAMS.index(SLOW_TEAM)
    slow_rep = np.isin(np.asarray(rep_ids), SLOW_REPS)
    return np.select(
        [slow_rep, slow_team],
        [_quantile(ACK_ON_TIME["slow_rep"]), _quantile(ACK_ON_TIME["slow_team"])],
        _quantile(ACK_ON_TIME["ordinary"]),
    )


def median_fraction(quality: np.ndarray) -> np.ndarray:
    """The median window fraction that puts `Phi(quality)` of the log-normal draws
    (sigma `WINDOW_SIGMA`) at or below 1, i.e. on time."""
    return np.exp(-WINDOW_SIGMA * np.asarray(quality))
