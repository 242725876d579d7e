"""Sending the morning digests (DESIGN §6): at most once per person per day, and nothing lost.

The day's work is split into chunks of people (`digest_chunks`) that several Celery workers can
share. Sending a chunk (`digest_chunk_send`) first takes a `DigestSend` row for each person with
something to read: the unique (person, day) constraint is the claim, so a second run, a second
beat process or a duplicated chunk finds the row taken and sends nothing. The email goes only
after the claim, and the row is marked sent as soon as the SMTP server accepts it. While the
server is down the claim stays with its run, which retries; a claim left by a worker that died
goes stale after DIGEST_CLAIM_MINUTES and the next run takes it over.

Digests go out only on the authority's digest days (`[digest]` in its file in config/authorities/:
working days unless it says otherwise), so nobody gets one on a Sunday or on Christmas Day.
"""

from __future__ import annotations

import smtplib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from ..models import AlertSettings, Authority, DigestSend, RoleAssignment, User
from ..selectors.digests import Digest, digests_for, not_sending_because
from .digest_email import digest_html, digest_text


@dataclass(frozen=True)
class DigestChunk:
    authority_id: int
    digest_date: date
    user_ids: list[int]


@dataclass
class ChunkResult:
    sent: list[int] = field(default_factory=list)
    nothing: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # another run has them, or they are done
    failed: list[int] = field(default_factory=list)  # claimed by this run, to retry
    error: str = ""


def _stale_before(now: datetime) -> datetime:
    return now - timedelta(minutes=settings.DIGEST_CLAIM_MINUTES)


def digest_chunks(*, now: datetime | None = None, authorities=None, on_schedule: bool = True,
                  size: int | None = None, resting: list[str] | None = None) -> list[DigestChunk]:  # fmt: skip
    """Today's digests still to send, in chunks of one authority's people, for the authorities
    whose digest day today is (each one that rests today is added to `resting`, saying why). With
    `on_schedule` only those whose digest time has come today (the beat job); without, all of them
    (the management command, run when its operator chooses)."""
    now, size = now or timezone.now(), size or settings.DIGEST_CHUNK_SIZE
    chosen = {s.authority_id: s for s in AlertSettings.objects.all()}
    chunks = []
    for authority in authorities if authorities is not None else Authority.objects.order_by("pk"):
        local = now.astimezone(ZoneInfo(authority.timezone))
        if on_schedule and local.time() < (chosen.get(authority.pk) or AlertSettings()).digest_time:
            continue
        day = local.date()
        why_not = not_sending_because(authority, day)
        if why_not:
            if resting is not None:
                resting.append(f"{authority.name}: no digests on {day:%A} {day.day} {day:%B} ({why_not})")
            continue
        handled = _handled(day, now).filter(user=OuterRef("pk"))
        ids = list(
            User.objects.filter(authority=authority, is_active=True)
            .filter(Exists(RoleAssignment.objects.filter(user=OuterRef("pk"))))
            .exclude(Exists(handled))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        chunks += [DigestChunk(authority.pk, day, part) for part in even_parts(ids, size)]
    return chunks


def even_parts(ids: list[int], size: int) -> list[list[int]]:
    """`ids` in as few runs of at most `size` as there can be, of sizes within one of each other:
    101 people at 50 are chunks of 34, 34 and 33, not 50, 50 and 1, so workers share them evenly."""
    count = -(-len(ids) // size)
    bounds = [len(ids) * n // count for n in range(count + 1)] if count else []
    return [ids[start:end] for start, end in pairwise(bounds)]


def _handled(day: date, now: datetime):
    """Today's digests already sent, found empty, or being sent by a live run."""
    return DigestSend.objects.filter(digest_date=day).filter(
        ~Q(status=DigestSend.Status.CLAIMED) | Q(claimed_at__gte=_stale_before(now))
    )


def digests_already_handled(*, now: datetime | None = None, authorities=None) -> int:
    """How many people's digests for today another run has already sent or has in hand, which
    `digest_chunks` leaves out: a second run reports them rather than nothing."""
    now = now or timezone.now()
    authorities = authorities if authorities is not None else Authority.objects.all()
    return sum(
        _handled(now.astimezone(ZoneInfo(authority.timezone)).date(), now)
        .filter(user__authority=authority, user__is_active=True)
        .count()
        for authority in authorities
    )


def digest_chunk_send(*, user_ids: list[int], digest_date: date, run: str, now: datetime | None = None) -> ChunkResult:
    """Build and send the digests of one chunk. Safe to call again with the same arguments, or at
    the same time from another process: each person gets at most one email for `digest_date`."""
    now = now or timezone.now()
    result = ChunkResult()
    users = list(User.objects.filter(pk__in=user_ids, is_active=True).select_related("authority").order_by("pk"))
    rows = {row.user_id: row for row in DigestSend.objects.filter(user__in=users, digest_date=digest_date)}
    stale = _stale_before(now)

    def open_to_this_run(user) -> bool:
        row = rows.get(user.pk)
        return row is None or (row.status == DigestSend.Status.CLAIMED and (row.run == run or row.claimed_at < stale))

    candidates = [user for user in users if open_to_this_run(user)]
    result.skipped = [pk for pk in user_ids if pk not in {user.pk for user in candidates}]
    by_authority = defaultdict(list)
    for user in candidates:
        by_authority[user.authority_id].append(user)
    digests = [d for group in by_authority.values() for d in digests_for(group, now=now, digest_date=digest_date)]
    empty = [d.user for d in digests if d.is_empty]
    _record_nothing(empty, digest_date, run, stale)
    result.nothing = [user.pk for user in empty]
    # Rendered before the claim, so a fault in building one cannot leave claims behind.
    messages = [(digest, digest_message(digest)) for digest in digests if not digest.is_empty]
    won = _claim([digest.user for digest, _ in messages], digest_date, run, now, stale)
    result.skipped += [digest.user.pk for digest, _ in messages if digest.user.pk not in won]
    _send([(digest, message) for digest, message in messages if digest.user.pk in won], run, result)
    return result


def digest_claims_release(*, user_ids: list[int], digest_date: date, run: str) -> int:
    """Give up this run's claims on digests it could not send (nothing was sent to them), so that
    the next run sends them at once instead of waiting for the claims to go stale."""
    released, _ = DigestSend.objects.filter(user_id__in=user_ids, digest_date=digest_date, run=run,
                                            status=DigestSend.Status.CLAIMED).delete()  # fmt: skip
    return released


def _mine(users, digest_date: date, run: str, stale: datetime):
    """Claimed rows this run holds or may take over."""
    return DigestSend.objects.filter(user__in=users, digest_date=digest_date, status=DigestSend.Status.CLAIMED).filter(
        Q(run=run) | Q(claimed_at__lt=stale)
    )


def _record_nothing(users: list[User], digest_date: date, run: str, stale: datetime) -> None:
    """Nothing to say today: recorded, so the quarter-hourly runs stop building it again."""
    if not users:
        return
    DigestSend.objects.bulk_create(
        [DigestSend(user=u, authority_id=u.authority_id, digest_date=digest_date, status=DigestSend.Status.NOTHING,
                    run=run) for u in users],
        ignore_conflicts=True,
    )  # fmt: skip
    _mine(users, digest_date, run, stale).update(status=DigestSend.Status.NOTHING, run=run)


def _claim(users: list[User], digest_date: date, run: str, now: datetime, stale: datetime) -> set[int]:
    """Take the day's row for each person, before anything is sent. The insert loses quietly to a
    row already there; the update takes over this run's own claims (a retry) and stale ones, and
    is atomic, so of two runs reaching for one stale claim only one gets it."""
    if not users:
        return set()
    DigestSend.objects.bulk_create(
        [DigestSend(user=u, authority_id=u.authority_id, digest_date=digest_date, run=run, claimed_at=now)
         for u in users],
        ignore_conflicts=True,
    )  # fmt: skip
    _mine(users, digest_date, run, stale).update(run=run, claimed_at=now)
    return set(
        DigestSend.objects.filter(user__in=users, digest_date=digest_date, status=DigestSend.Status.CLAIMED, run=run)
        .values_list("user_id", flat=True)
    )  # fmt: skip


def _send(messages: list[tuple[Digest, EmailMultiAlternatives]], run: str, result: ChunkResult) -> None:
    """Send over one connection. A refused message fails that digest alone; a server that is down
    or drops the connection fails the rest of the chunk, kept claimed for the retry."""
    if not messages:
        return
    connection = get_connection(fail_silently=False)
    digests = [digest for digest, _ in messages]
    try:
        connection.open()
        for index, (digest, message) in enumerate(messages):
            message.connection = connection
            try:
                message.send()
            except (smtplib.SMTPRecipientsRefused, smtplib.SMTPResponseException) as error:
                _attempted([digest], run, error, result)
                continue
            except OSError as error:  # includes the other SMTP errors: the server is gone
                _attempted(digests[index:], run, error, result)
                return
            DigestSend.objects.filter(user=digest.user, digest_date=digest.digest_date, run=run).update(
                status=DigestSend.Status.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1,
                overdue=digest.overdue_count, due_soon=digest.due_soon_count, last_error="",
            )  # fmt: skip
            result.sent.append(digest.user.pk)
    except OSError as error:  # could not connect at all
        _attempted(digests, run, error, result)
    finally:
        connection.close()


def _attempted(digests: list[Digest], run: str, error: Exception, result: ChunkResult) -> None:
    users = [d.user for d in digests]
    DigestSend.objects.filter(user__in=users, digest_date=digests[0].digest_date, run=run).update(
        attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:500]
    )
    result.failed += [user.pk for user in users]
    result.error = f"{type(error).__name__}: {error}"


def digest_message(digest: Digest) -> EmailMultiAlternatives:
    """The digest as an email with a plain-text and an HTML part, the same words in each."""
    later = digest.due_soon_count - digest.due_today_count
    parts = [text for count, text in ((digest.due_today_count, f"{digest.due_today_count} due today"),
                                      (digest.overdue_count, f"{digest.overdue_count} overdue"),
                                      (later, f"{later} due soon"),
                                      (digest.waiting_count, f"{digest.waiting_count} waiting for you"),
                                      (digest.teams, "your team"),
                                      (digest.escalations_total, f"{digest.escalations_total} escalated"))
             if count]  # fmt: skip
    subject = f"{settings.SERVICE_NAME}: {', '.join(parts)} – {digest.digest_date:%a} {digest.digest_date:%-d %B %Y}"
    names = {"service_name": settings.SERVICE_NAME, "site_url": settings.SITE_URL}
    message = EmailMultiAlternatives(
        subject=subject,
        body=digest_text(digest, **names),
        to=[digest.user.email],
        headers={"X-Casework-Digest": f"{digest.user.pk}/{digest.digest_date.isoformat()}"},
    )
    message.attach_alternative(digest_html(digest, **names), "text/html")
    return message
