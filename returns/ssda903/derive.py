"""The SSDA903 return's rows, derived from the records for one authority and one collection year.

Loading is separate from deriving: `load_children` reads what one chunk of children holds (a fixed
number of queries per chunk, whatever the chunk's size), and `rows_for_child` is a pure function
from one child's records to their rows in every table, so the inclusion rules can be read and
tested without a database. Restricted children are included: the return is statutory and goes to
the DfE, not to a user, so no user's view scopes it.

Who is in each table follows the DfE's guide to the SSDA903 collection (paraphrased beside each rule)
and the validator's rules (csc-validator-be-903), whose numbers are cited."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone

from cases.models import Address, Allocation, Authority, Child, LegalStatus
from planning.episodes import CONTINUES, STARTED, Episode, episodes_of
from planning.models import (
    AdoptionStep,
    CareLeaverContact,
    DeprivationOfLiberty,
    HealthOutcome,
    Meeting,
    MissingEpisode,
    Placement,
    PreviousPermanence,
)
from returns.children import la_child_id
from returns.ssda903.tables import columns_for, dfe_date
from returns.years import CollectionYear

CHUNK_SIZE = 2000
# How often, in children read, a run is told how far it has got.
PROGRESS_EVERY = 500
# Short breaks (V3, V4) are counted apart: no mother, reviews or participation (rule 399), and a
# child on them is never continuously looked after (the DfE's definition, rule 190).
SHORT_BREAKS = frozenset({"V3", "V4"})
ADOPTED = frozenset({"E11", "E12"})
# The care leavers' birthdays whose outcomes the DfE asks about (OC3): the 17th to the 21st.
CARE_LEAVER_BIRTHDAYS = range(17, 22)
# A former relevant child: looked after for at least 13 weeks in all after turning 14, some of it
# after turning 16 (the Children (Leaving Care) Act eligibility the guide uses for the OC3 cohort).
ELIGIBLE_WEEKS = 13
# The adviser's contact "around the birthday" the guide asks about: up to three months before it
# and one month after.
CONTACT_BEFORE = timedelta(days=92)
CONTACT_AFTER = timedelta(days=31)


class Row(dict):
    """A row of a table, its headers to text, carrying the record it was derived from (the child,
    for a row about the child alone) so a finding about the row can lead to that record's page.
    The record is no column: the writer and the validator read only the dict."""

    def __init__(self, values: dict, record=None):
        super().__init__(values)
        self.record = record


@dataclass
class ChildRecords:
    """Everything the return reads about one child, gathered from every case they have had."""

    child: Child
    statuses: list = field(default_factory=list)
    placements: list = field(default_factory=list)
    addresses: list = field(default_factory=list)
    reviews: list = field(default_factory=list)
    health: list = field(default_factory=list)
    leaver_contacts: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    adoption_steps: list = field(default_factory=list)
    permanence: list = field(default_factory=list)
    liberty_orders: list = field(default_factory=list)
    allocations: list = field(default_factory=list)


def derive(*, authority: Authority, year: CollectionYear, chunk_size: int = CHUNK_SIZE,
           progress: Callable[[int, str], None] | None = None, children: dict[str, int] | None = None
           ) -> dict[str, list[Row]]:  # fmt: skip
    """Every table of the authority's return for the year: {table name: rows}, each row a dict of
    the table's headers to text (a Row, with the record it came from), in the order the DfE lists
    them.

    `progress` (percent, what is happening) hears every PROGRESS_EVERY children, between 5 and 60
    percent: the part of a run that reading the records takes. `children`, if given, gains every
    child considered, as their CHILD identifier -> their id in Casework, so a finding about a row
    can name the child."""
    tables: dict[str, list[Row]] = {name: [] for name in columns_for(year)}
    ids = candidate_ids(authority=authority, year=year)
    for done, records in enumerate(children_in_return(ids, chunk_size=chunk_size), 1):
        if children is not None:
            children[la_child_id(records.child)] = records.child.pk
        for name, rows in rows_for_child(records, year=year).items():
            tables[name].extend(rows)
        if progress and done % PROGRESS_EVERY == 0:
            progress(5 + 55 * done // len(ids), f"Read {done} of {len(ids)} children's records")
    return tables


def candidate_ids(*, authority: Authority, year: CollectionYear) -> list[int]:
    """The children who may appear: looked after at some time in the year, or looked after at some
    time before and with a 17th to 21st birthday in it (the care leavers of OC3). One query."""
    youngest_leaver_born = date(year.end.year - CARE_LEAVER_BIRTHDAYS.start, year.end.month, year.end.day)
    oldest_leaver_born = date(year.start.year - CARE_LEAVER_BIRTHDAYS.stop + 1, year.start.month, year.start.day)
    statuses = LegalStatus.objects.filter(case__authority=authority, started_on__lte=year.end)
    in_year = Q(ended_on__isnull=True) | Q(ended_on__gte=year.start)
    leaver = Q(case__child__date_of_birth__range=(oldest_leaver_born, youngest_leaver_born))
    # A care leaver whose time in care is not held here (brought in from a past return) is known
    # by their care-leaver status alone.
    looked_after, care_leaver = Q(kind=LegalStatus.Kind.LOOKED_AFTER), Q(kind=LegalStatus.Kind.CARE_LEAVER)
    ids = statuses.filter(looked_after & (in_year | leaver) | care_leaver & leaver).values_list("case__child_id",
                                                                                              flat=True)  # fmt: skip
    return sorted(set(ids))


def children_in_return(ids: list[int], *, chunk_size: int = CHUNK_SIZE) -> Iterator[ChildRecords]:
    """The records of these children, read a chunk at a time so memory and queries stay bounded."""
    for offset in range(0, len(ids), chunk_size):
        yield from load_children(ids[offset : offset + chunk_size])


def load_children(ids: list[int]) -> list[ChildRecords]:
    """The records of these children: one query for the children and one for each kind of record
    the return reads, however many children there are."""
    # The child's identifier in the return may be one imported from a past return (la_child_id).
    children = Child.objects.filter(pk__in=ids).select_related("return_identity").order_by("pk")
    records = {child.pk: ChildRecords(child=child) for child in children}
    by_child = {"child_id__in": ids}
    for status in LegalStatus.objects.filter(case__child_id__in=ids).select_related("case__referral"):
        records[status.case.child_id].statuses.append(status)
    for allocation in Allocation.objects.filter(case__child_id__in=ids, worker__isnull=False).select_related(
        "case", "worker"
    ):
        records[allocation.case.child_id].allocations.append(allocation)
    gathered = (
        ("placements", Placement.objects.filter(**by_child)),
        ("addresses", Address.objects.filter(**by_child)),
        ("reviews", Meeting.objects.filter(**by_child, kind=Meeting.Kind.LAC_REVIEW, held_at__isnull=False)),
        ("health", HealthOutcome.objects.filter(**by_child)),
        ("leaver_contacts", CareLeaverContact.objects.filter(**by_child).select_related("contact")),
        ("missing", MissingEpisode.objects.filter(**by_child)),
        ("adoption_steps", AdoptionStep.objects.filter(**by_child).select_related("adopters")),
        ("permanence", PreviousPermanence.objects.filter(**by_child)),
        ("liberty_orders", DeprivationOfLiberty.objects.filter(**by_child)),
    )
    for attribute, rows in gathered:
        for row in rows:
            getattr(records[row.child_id], attribute).append(row)
    return list(records.values())


# What follows is pure: records in, rows out.


@dataclass(frozen=True)
class CareEpisode:
    """An SSDA903 episode with the period of care it belongs to (the day that period began)."""

    episode: Episode
    period_start: date


def care_episodes(records: ChildRecords) -> list[CareEpisode]:
    """The child's episodes over all their cases, each with the start of its period of care (a
    period runs on while each episode starts the day the last ended, rules 433 and 357)."""
    episodes = episodes_of(records.statuses, records.placements)
    result, period_start = [], None
    for index, episode in enumerate(episodes):
        if index == 0 or episodes[index - 1].dec != episode.decom or episode.rne == STARTED:
            period_start = episode.decom
        result.append(CareEpisode(episode, period_start))
    return result


def in_year(started: date | None, ended: date | None, year: CollectionYear) -> bool:
    return started is not None and year.overlaps(started, ended)


def within(day: date | None, year: CollectionYear) -> date | None:
    """A date as the year's return knows it: one after 31 March has not happened yet."""
    return day if day is not None and day <= year.end else None


def birthday(born: date, years: int) -> date:
    """The birthday, a 29 February birthday kept on 28 February in other years."""
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return born.replace(year=born.year + years, day=28)


def yes_no(value: bool | None) -> str:
    return "" if value is None else "1" if value else "0"


def rows_for_child(records: ChildRecords, *, year: CollectionYear) -> dict[str, list[Row]]:
    """The child's rows in each table of the year's return (empty where they are in none), each
    with the record it came from."""
    columns = columns_for(year)
    tables: dict[str, list[Row]] = {name: [] for name in columns}
    child = records.child
    every_episode = care_episodes(records)
    episodes = [care for care in every_episode if in_year(care.episode.decom, care.episode.dec, year)]
    oc3 = care_leaver_row(records, every_episode, year) if not episodes else None
    if not episodes and oc3 is None:
        return tables
    ident, born = la_child_id(child), dfe_date(child.date_of_birth)
    tables["Header"].append(Row(header_row(records, episodes, year), child))
    if oc3 is not None:
        # A care leaver not looked after in the year has no other data (rule 1012).
        tables["OC3"].append(oc3)
        return tables
    tables["Episodes"] = [Row(episode_row(records, care, year), care.episode.placement) for care in episodes]
    short_breaks_only = all(care.episode.ls in SHORT_BREAKS for care in episodes)
    if not short_breaks_only:
        # Reviews held in the year (the guide); none for a child on short breaks only (rule 399).
        tables["Reviews"] = [
            Row({"CHILD": ident, "DOB": born, "REVIEW": dfe_date(day), "REVIEW_CODE": meeting.participation}, meeting)
            for meeting in sorted(records.reviews, key=lambda meeting: meeting.held_at)
            if (day := timezone.localdate(meeting.held_at)) and year.start <= day <= year.end
        ]  # fmt: skip
    if (uasc := uasc_row(child, year)) is not None:
        tables["UASC"].append(Row(uasc, child))
    if continuously_looked_after(episodes, year):
        tables["OC2"].append(health_row(records, year))
    if (adopted := adoption_row(records, episodes, year)) is not None:
        tables["AD1"].append(adopted)
    tables["PlacedAdoption"] = placed_for_adoption_rows(records, year)
    tables["PrevPerm"] = previous_permanence_rows(records, episodes, year)
    # Missing or away episodes open at any time in the year (the guide's AMISSING).
    tables["Missing"] = [
        Row({"CHILD": ident, "DOB": born, "MISSING": missing.kind, "MIS_START": dfe_date(start),
             "MIS_END": dfe_date(within(end, year))}, missing)
        for missing in sorted(records.missing, key=lambda missing: missing.started_at)
        if (start := timezone.localdate(missing.started_at))
        and in_year(start, end := missing.ended_at and timezone.localdate(missing.ended_at), year)
    ]  # fmt: skip
    tables["SWEpisodes"] = social_worker_rows(records, year)
    if "DoLo" in columns:
        # Orders depriving the child of their liberty in force at any time in the year (rules 700-706).
        tables["DoLo"] = [
            Row({"CHILD": ident, "DOB": born, "DOLO_START": dfe_date(order.started_on),
                 "DOLO_END": dfe_date(within(order.ended_on, year))}, order)
            for order in sorted(records.liberty_orders, key=lambda order: order.started_on)
            if in_year(order.started_on, order.ended_on, year)
        ]  # fmt: skip
    return tables


def header_row(records: ChildRecords, episodes: list[CareEpisode], year: CollectionYear) -> dict:
    """One per child in the return. The mother fields are for girls looked after in the year
    other than on short breaks only (rules 165, 393, 399); not for a care leaver alone (628)."""
    child = records.child
    asks_mother = child.sex == "F" and any(care.episode.ls not in SHORT_BREAKS for care in episodes)
    mother = yes_no(child.is_mother) if asks_mother else ""
    return {
        "CHILD": la_child_id(child), "SEX": child.sex, "DOB": dfe_date(child.date_of_birth),
        "ETHNIC": child.ethnicity, "UPN": child.upn or child.upn_unknown, "MOTHER": mother,
        "MC_DOB": dfe_date(child.mothers_child_born_on) if mother == "1" else "",
    }  # fmt: skip


def episode_row(records: ChildRecords, care: CareEpisode, year: CollectionYear) -> dict:
    """An episode open at any time in the year. One still open on 31 March is returned open, even
    if it has since ended: the return describes the year as it stood at its end."""
    episode = care.episode
    ended = within(episode.dec, year)
    return {
        "CHILD": la_child_id(records.child), "DECOM": dfe_date(episode.decom), "RNE": episode.rne,
        "LS": episode.ls, "CIN": category_of_need(records, episode.decom), "PLACE": episode.place,
        "PLACE_PROVIDER": episode.place_provider or "", "DEC": dfe_date(ended),
        "REC": (episode.rec or "") if ended else "",
        "REASON_PLACE_CHANGE": (episode.reason_place_change or "") if ended else "",
        "HOME_POST": home_postcode(records, care.period_start), "PL_POST": episode.pl_post or "",
        "URN": episode.urn or "",
    }  # fmt: skip


def category_of_need(records: ChildRecords, day: date) -> str:
    """The category of need (CIN) of the case the child was looked after under on the day: the one
    its referral gave, where the case came through the front door."""
    statuses = [status for status in records.statuses if status.kind == LegalStatus.Kind.LOOKED_AFTER
                and status.started_on <= day and (status.ended_on is None or status.ended_on > day)]  # fmt: skip
    status = max(statuses, key=lambda status: status.started_on, default=None)
    referral = status.case.referral if status is not None else None
    return referral.category_of_need if referral is not None else ""


def home_postcode(records: ChildRecords, period_start: date) -> str:
    """The postcode of the home the child was living in when the period of care began (the
    latest address they had moved into by then). None for an unaccompanied asylum-seeking child,
    now or before: they had no home here to measure the placement's distance from (rule 406)."""
    if records.child.uasc:
        return ""
    before = [address for address in records.addresses if address.lived_from <= period_start and address.postcode]
    latest = max(before, key=lambda address: address.lived_from, default=None)
    return latest.postcode.upper() if latest is not None else ""


def uasc_row(child: Child, year: CollectionYear) -> dict | None:
    """An unaccompanied asylum-seeking child looked after in the year who was one at some time in
    it. The status ends at 18 if it has not ended before (rule 304); DUC is blank while it lasts."""
    if not child.uasc:
        return None
    ends = [day for day in (child.uasc_ceased_on, child.date_of_birth and birthday(child.date_of_birth, 18)) if day]
    ceased = min(ends, default=None)
    if ceased is not None and ceased < year.start:
        return None
    return {"CHILD": la_child_id(child), "SEX": child.sex, "DOB": dfe_date(child.date_of_birth),
            "DUC": dfe_date(within(ceased, year))}  # fmt: skip


def continuously_looked_after(episodes: list[CareEpisode], year: CollectionYear) -> bool:
    """Looked after continuously for at least 12 months at 31 March (the OC2 cohort), as the
    validator decides it (lac_validator.utils, from the DfE's validation rules): in care since
    1 April or before, never leaving care in the year, and never on short breaks."""
    if not episodes or episodes[0].period_start > year.start:
        return False
    for care in episodes:
        episode = care.episode
        if episode.ls in SHORT_BREAKS or (episode.rne == STARTED and episode.decom > year.start):
            return False
        ended = within(episode.dec, year)
        if ended is not None and episode.rec != CONTINUES:
            return False
    return True


def health_row(records: ChildRecords, year: CollectionYear) -> Row:
    """OC2: the latest health and wellbeing recorded in the year. A child in the cohort with none
    recorded gets a blank row, so the validator reports what is missing (rule 191) rather than the
    return leaving them out. Conviction is asked from 10 (rules 542, 543); whether an intervention
    was offered only where none was received (rules 158, 159). HEALTH_CHECK, the under-5s' health
    check-up, is given for a child under 5 at 31 March (rules 545, 546), as recorded for them
    (Casework asks it of a child under 5 on the date recorded; blank where it was not asked)."""
    child = records.child
    recorded = [outcome for outcome in records.health if year.start <= outcome.recorded_on <= year.end]
    outcome = max(recorded, key=lambda outcome: (outcome.recorded_on, outcome.pk), default=None)
    row = dict.fromkeys(columns_for(year)["OC2"], "") | {"CHILD": la_child_id(child),
                                                       "DOB": dfe_date(child.date_of_birth)}  # fmt: skip
    if outcome is None:
        return Row(row, child)
    age = child.age_on(year.end)
    misuse = outcome.substance_misuse
    # The SDQ is asked of children aged 4 to 16 (rules 188, 189): outside those ages the return
    # leaves it blank, though the record says why there is none (SDQ1).
    sdq_asked = age is not None and age >= 4 and child.age_on(year.start) <= 16
    return Row(row | {
        "SDQ_SCORE": "" if outcome.sdq_score is None or not sdq_asked else str(outcome.sdq_score),
        "SDQ_REASON": outcome.sdq_reason if sdq_asked else "",
        "CONVICTED": yes_no(outcome.convicted) if age is not None and age >= 10 else "",
        "HEALTH_CHECK": yes_no(outcome.health_check) if age is not None and age < 5 else "",
        "IMMUNISATIONS": yes_no(outcome.immunisations_up_to_date),
        "TEETH_CHECK": yes_no(outcome.teeth_checked),
        "HEALTH_ASSESSMENT": yes_no(outcome.health_assessment_up_to_date),
        "SUBSTANCE_MISUSE": yes_no(misuse),
        "INTERVENTION_RECEIVED": yes_no(outcome.intervention_received) if misuse else "",
        "INTERVENTION_OFFERED": yes_no(outcome.intervention_refused)
        if misuse and outcome.intervention_received is False else "",
    }, outcome)  # fmt: skip


def looked_after_on(every_episode: list[CareEpisode], day: date) -> bool:
    """Whether the DfE reads the child as looked after on the day: an episode had begun and had
    not ended before it (an episode ending on the day still counts, rule 1016)."""
    return any(care.episode.decom <= day and (care.episode.dec is None or care.episode.dec >= day)
               for care in every_episode)  # fmt: skip


def days_looked_after(every_episode: list[CareEpisode], since: date, until: date) -> int:
    total = 0
    for care in every_episode:
        start = max(care.episode.decom, since)
        end = min(care.episode.dec or until, until)
        total += max((end - start).days, 0)
    return total


def care_leaver_row(records: ChildRecords, every_episode: list[CareEpisode], year: CollectionYear) -> Row | None:
    """OC3: a care leaver whose 17th to 21st birthday fell in the year, not looked after on it
    (rule 1016), who had been looked after for 13 weeks since turning 14, some of it after turning
    16; with the adviser's findings at the contact nearest the birthday (three months before to one
    month after). One with no contact recorded gets a blank row, for the validator to report."""
    child = records.child
    care_history_held = bool(every_episode)
    if child.date_of_birth is None or not (care_history_held or care_leaver_from_a_past_return(records)):
        return None
    birthdays = [day for years in CARE_LEAVER_BIRTHDAYS
                 if year.start <= (day := birthday(child.date_of_birth, years)) <= year.end]  # fmt: skip
    if not birthdays or looked_after_on(every_episode, birthdays[0]):
        return None
    day = birthdays[0]
    fourteenth, sixteenth = birthday(child.date_of_birth, 14), birthday(child.date_of_birth, 16)
    eligible = not care_history_held or (days_looked_after(every_episode, fourteenth, day) >= ELIGIBLE_WEEKS * 7
                                         and days_looked_after(every_episode, sixteenth, day) > 0)  # fmt: skip
    if not eligible:
        return None
    around = [contact for contact in records.leaver_contacts
              if day - CONTACT_BEFORE <= contact.contact.done_on <= day + CONTACT_AFTER]  # fmt: skip
    nearest = min(around, key=lambda contact: (abs((contact.contact.done_on - day).days), -contact.pk), default=None)
    row = {"CHILD": la_child_id(child), "DOB": dfe_date(child.date_of_birth), "IN_TOUCH": "", "ACTIV": "", "ACCOM": ""}
    if nearest is not None:
        row |= {"IN_TOUCH": nearest.in_touch, "ACTIV": nearest.activity_code(), "ACCOM": nearest.accommodation_code()}
    return Row(row, child if nearest is None else nearest)


def care_leaver_from_a_past_return(records: ChildRecords) -> bool:
    """A care leaver whose time in care is not held here, only their care-leaver status: one a
    past return brought in (returns/ssda903/importer.py), which the DfE had already counted as
    eligible, so that return's word stands for the 13 weeks the rule asks."""
    return any(status.kind == LegalStatus.Kind.CARE_LEAVER for status in records.statuses)


def steps_of(records: ChildRecords, kind: str) -> list:
    return sorted((step for step in records.adoption_steps if step.kind == kind),
                  key=lambda step: (step.happened_on, step.pk))  # fmt: skip


def adoption_row(records: ChildRecords, episodes: list[CareEpisode], year: CollectionYear) -> Row | None:
    """AD1: a child adopted in the year, that is whose episode ended in it with an adoption order
    (REC E11 or E12); the decision that adoption is in their best interest, the match, and the
    adopters as described at the match (or at the placement for adoption, where the match did not
    ask)."""
    adopted_on = [care.episode.dec for care in episodes
                  if care.episode.rec in ADOPTED and within(care.episode.dec, year)]  # fmt: skip
    if not adopted_on:
        return None
    day = adopted_on[-1]
    decisions = [step for step in steps_of(records, AdoptionStep.Kind.BEST_INTEREST) if step.happened_on <= day]
    matches = [step for step in steps_of(records, AdoptionStep.Kind.MATCH) if step.happened_on <= day]
    described = [step.adopters for step in (*steps_of(records, AdoptionStep.Kind.PLACED), *matches)
                 if step.happened_on <= day and hasattr(step, "adopters")]  # fmt: skip
    adopters = max(described, key=lambda adopters: (adopters.step.kind == AdoptionStep.Kind.MATCH,
                                                     adopters.step.happened_on), default=None)  # fmt: skip
    child = records.child
    # From several steps (the decision, the match, the adopters), so it is the child's.
    return Row({
        "CHILD": la_child_id(child), "DOB": dfe_date(child.date_of_birth),
        "DATE_INT": dfe_date(decisions[-1].happened_on if decisions else None),
        "DATE_MATCH": dfe_date(matches[-1].happened_on if matches else None),
        "FOSTER_CARE": yes_no(adopters.were_foster_carers) if adopters else "",
        "NB_ADOPTR": str(adopters.number) if adopters else "",
        "SEX_ADOPTR": adopters.sex if adopters else "",
        "LS_ADOPTR": adopters.legal_status if adopters else "",
    }, child)  # fmt: skip


def placed_for_adoption_rows(records: ChildRecords, year: CollectionYear) -> list[Row]:
    """PlacedAdoption: each decision that the child should be placed for adoption (the
    best-interest decision, rule 523) in force at some time in the year, with its reversal, if it
    was reversed by 31 March (rules 117, 119, 522, 579)."""
    child = records.child
    decisions = steps_of(records, AdoptionStep.Kind.BEST_INTEREST)
    reversals = steps_of(records, AdoptionStep.Kind.REVERSED)
    rows = []
    for index, decision in enumerate(decisions):
        if decision.happened_on > year.end:
            continue
        following = decisions[index + 1].happened_on if index + 1 < len(decisions) else None
        reversal = next((step for step in reversals if step.happened_on >= decision.happened_on
                         and (following is None or step.happened_on <= following)), None)  # fmt: skip
        ceased = within(reversal.happened_on, year) if reversal else None
        if ceased is not None and ceased < year.start:
            continue
        rows.append(Row({
            "CHILD": la_child_id(child), "DOB": dfe_date(child.date_of_birth),
            "DATE_PLACED": dfe_date(decision.happened_on), "DATE_PLACED_CEASED": dfe_date(ceased),
            "REASON_PLACED_CEASED": reversal.reversal_reason if ceased else "",
        }, decision))  # fmt: skip
    return rows


def permanence_date(permanence: PreviousPermanence) -> str:
    """DATE_PERM, with an unknown day, or day and month, as "zz" (the guide's convention)."""
    made = permanence.made_on
    if made is None:
        return ""
    known = permanence.made_on_known or PreviousPermanence.Known.DAY
    day = "zz" if known != PreviousPermanence.Known.DAY else f"{made.day:02d}"
    month = "zz" if known == PreviousPermanence.Known.YEAR else f"{made.month:02d}"
    return f"{day}/{month}/{made.year}"


def previous_permanence_rows(records: ChildRecords, episodes: list[CareEpisode], year: CollectionYear) -> list[Row]:
    """PrevPerm: asked when a period of care starts, so returned for a child who started to be
    looked after in the year (rule 630), from the answer on the case that period is on."""
    started = [care.episode.decom for care in episodes
               if care.episode.rne == STARTED and care.episode.decom >= year.start]  # fmt: skip
    if not started:
        return []
    day = started[-1]
    cases = {status.case_id for status in records.statuses if status.kind == LegalStatus.Kind.LOOKED_AFTER
             and status.started_on <= day and (status.ended_on is None or status.ended_on > day)}  # fmt: skip
    answers = [answer for answer in records.permanence if answer.case_id in cases]
    if not answers:
        return []
    answer = answers[0]
    none_before = answer.code == "Z1"
    child = records.child
    return [Row({
        "CHILD": la_child_id(child), "DOB": dfe_date(child.date_of_birth), "PREV_PERM": answer.code,
        "LA_PERM": "" if none_before else answer.made_by, "DATE_PERM": "" if none_before else permanence_date(answer),
    }, answer)]  # fmt: skip


def social_worker_rows(records: ChildRecords, year: CollectionYear) -> list[Row]:
    """SWEpisodes: each social worker allocated to a child in the return at some time in the year,
    identified by their Social Work England number. The DfE asks for the whole year's, including
    any before the child came into care (rule SW12's message). The case's first worker has no
    recorded reason for a change; the DfE codes that as first contact (FCONTA, rule SW10b)."""
    child = records.child
    rows = []
    for allocation in sorted(records.allocations, key=lambda allocation: (allocation.allocated_at, allocation.pk)):
        started = timezone.localdate(allocation.allocated_at)
        ended = allocation.ended_at and timezone.localdate(allocation.ended_at)
        if not in_year(started, ended, year):
            continue
        rows.append(Row({
            "CHILD": la_child_id(child), "DOB": dfe_date(child.date_of_birth),
            "SW_ID": allocation.worker.swe_registration_number, "SW_DECOM": dfe_date(started),
            "SW_DEC": dfe_date(within(ended, year)), "SW_REASON": allocation.change_reason or "FCONTA",
        }, allocation))  # fmt: skip
    return rows
