"""The demo's posts: about 300 requests of the last twelve months, each walked through the states
it ends in (accepted, transferred, answered, rated, reopened, closed …) with backdated times, most
of them put on the wall. Run by `manage.py seed_demo`."""

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import ModelLogEntry, Page

from cases import clock
from cases.models import AnswerReused, Place, Post, Unit
from wall import demo_data

SEED = 20240901

# How many demo posts end in each state.
STATUS_COUNTS = {
    Post.Status.CLOSED: 220,
    Post.Status.REPLIED: 14,
    Post.Status.REJECTED: 36,
    Post.Status.ACCEPTED: 15,
    Post.Status.SUBMITTED: 10,
    Post.Status.REOPENED: 5,
}

# How old (in days) a post in each state may be: nothing waits months for screening.
AGE_DAYS = {
    Post.Status.CLOSED: (3, 365),
    Post.Status.REPLIED: (0.5, 6),
    Post.Status.REJECTED: (0.5, 365),
    Post.Status.ACCEPTED: (0.1, 2),
    Post.Status.SUBMITTED: (0, 2),
    Post.Status.REOPENED: (1, 30),
}

# Students post mostly in the evening, rarely at night.
HOUR_WEIGHTS = [1, 1, 0, 0, 0, 0, 1, 3, 4, 6, 6, 6, 5, 4, 5, 5, 5, 4, 5, 6, 7, 8, 7, 3]

# Hours between one step of a post's history and the next, as (shortest, longest).
ACCEPT_HOURS = (0.3, 10)
REJECT_HOURS = (0.5, 20)
REPLY_HOURS = (0.5, 20)
LATE_REPLY_HOURS = (25, 72)
NOTE_HOURS = (0.5, 6)
FOLLOW_UP_HOURS = (1, 30)
RATE_HOURS = (1, 48)
CLOSE_HOURS = (4, 96)
PUBLISH_HOURS = (0.1, 3)

TRANSFER_HOURS = (1, 20)
TRANSFER_SHARE = 0.06
CO_HANDLING_SHARE = 0.05
LATE_REPLY_SHARE = 0.1
PUBLISHED_SHARE = 0.85
REUSED_SHARE = 0.4  # answered posts on the wall where someone about to ask found the answer instead


def deadlines(kind, at):
    return {"reply_due_at": clock.reply_due(kind, at), "resolution_due_at": clock.resolution_due(kind, at)}


@dataclass
class Story:
    """One demo post and the times its actions should have happened at.

    The model's transitions stamp everything with timezone.now(); the story remembers when each
    action belongs in the past, and `backdate` moves the stamps there afterwards.
    """

    post: Post
    topic: demo_data.Topic
    unit: Unit
    words: dict
    log_times: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    post_times: dict = field(default_factory=dict)

    def happened(self, at, row=None, **post_times):
        self.log_times.append(at)
        if row is not None:
            self.rows.append((type(row), row.pk, at))
        self.post_times.update(post_times)

    def backdate(self, post_type):
        last = self.log_times[-1] if self.log_times else self.post.created_at
        Post.objects.filter(pk=self.post.pk).update(updated_at=last, **self.post_times)
        for model, pk, at in self.rows:
            model.objects.filter(pk=pk).update(created_at=at)
        entries = ModelLogEntry.objects.filter(content_type=post_type, object_id=str(self.post.pk)).order_by("pk")
        for entry_pk, at in zip(entries.values_list("pk", flat=True), self.log_times, strict=True):
            ModelLogEntry.objects.filter(pk=entry_pk).update(timestamp=at)


class DemoPosts:
    def __init__(self, seed, now, kinds, categories, units, users):
        self.seed = seed
        self.rng = None  # the generator of the post being made (see create_all)
        self.generators = {}  # post pk: its generator
        self.topics = {}  # post pk: what it is about
        self.now = now
        self.kinds = kinds
        self.categories = categories
        self.units = units
        self.editor = users["editor"]
        self.student = users["student"]
        self.handlers = {unit: list(unit.handlers.all()) for unit in units.values()}
        self.post_type = ContentType.objects.get_for_model(Post)

    def create_all(self):
        statuses = [status for status, count in STATUS_COUNTS.items() for _ in range(count)]
        # Planned first and created oldest first, so that numbers grow with time as in real life. Each
        # post draws from a generator of its own: the order of creation moves with the day and hour
        # the demo is made, what a post says and whether it goes on the wall must not.
        plans = []
        for number, status in enumerate(statuses):
            self.rng = random.Random(f"{self.seed}:{number}")  # noqa: S311 - the same demo every time
            plans.append((self.posted_at(status), status, self.rng))
        posts = []
        for posted_at, status, rng in sorted(plans, key=lambda plan: plan[0]):
            self.rng = rng
            story = self.create(status, posted_at)
            posts.append(story.post)
            self.generators[story.post.pk] = rng
            self.topics[story.post.pk] = story.topic
        return posts

    def posted_at(self, status):
        shortest, longest = AGE_DAYS[status]
        day = timezone.localtime(self.now - timedelta(days=self.rng.uniform(shortest, longest)))
        hour = self.rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
        at = day.replace(hour=hour, minute=self.rng.randrange(60), second=self.rng.randrange(60))
        # At least an hour ago, so that the history of the newest post has time to fit in (see times()).
        return at if at < self.now - timedelta(hours=1) else at - timedelta(days=1)

    def create(self, status, posted_at):
        story = self.new_story(posted_at)
        steps = self.steps(status)
        for (action, _), at in zip(steps, self.times(posted_at, [hours for _, hours in steps]), strict=True):
            action(story, at)
        story.backdate(self.post_type)
        return story

    def new_story(self, posted_at):
        category_name = self.rng.choice(list(demo_data.TOPICS))
        topic = self.rng.choice(demo_data.TOPICS[category_name])
        category = self.categories[category_name]
        unit = self.units[topic.unit] if topic.unit else category.default_unit
        words = self.words(unit)
        post = Post.objects.create(
            kind=self.kinds[topic.kind],
            category=category,
            requested_unit=unit if self.rng.random() < 0.3 else None,
            place=self.place_of(topic, words),
            title=topic.title.format_map(words),
            body=topic.body.format_map(words),
            wants_public=self.rng.random() > 0.08,
            created_at=posted_at,
            **self.poster(),
        )
        return Story(post=post, topic=topic, unit=unit, words=words)

    def place_of(self, topic, words):
        """The campus place the story is about, if it names one: the places list grows as they appear."""
        text = topic.title + topic.body
        named = [key for key in ("dorm", "teach", "canteen", "place") if "{" + key + "}" in text]
        return Place.objects.get_or_create(name=words[named[0]])[0] if named else None

    def words(self, unit):
        rng = self.rng
        return {
            "dorm": rng.choice(demo_data.DORMS),
            "teach": rng.choice(demo_data.TEACHING_BUILDINGS),
            "canteen": rng.choice(demo_data.CANTEENS),
            "place": rng.choice(demo_data.PLACES),
            "course": rng.choice(demo_data.COURSES),
            "floor": rng.randint(1, 6),
            "room": f"{rng.randint(1, 6)}{rng.randint(1, 30):02d}",
            "unit": unit.name,
        }

    def poster(self):
        """Who wrote it: the demo student (by name or not), or a visitor, who is always anonymous."""
        chance = self.rng.random()
        if chance < 0.15:
            return {
                "poster": self.student,
                "contact_name": self.student.first_name,
                "contact_phone": demo_data.STUDENT_PHONE,
            }
        if chance < 0.2:
            return {"poster": self.student, "is_anonymous": True}
        if chance < 0.6:
            return {"is_anonymous": True, "contact_name": self.rng.choice(demo_data.SURNAMES) + "同学"}
        if chance < 0.8:
            return {"is_anonymous": True, "contact_phone": f"13{self.rng.randrange(10**9):09d}"}
        return {"is_anonymous": True}

    def steps(self, status):
        """The actions that bring a new post to status, each with the hours it usually takes."""
        rng = self.rng
        accept = [(self.accept, ACCEPT_HOURS)]
        if rng.random() < TRANSFER_SHARE:
            accept.append((self.transfer, TRANSFER_HOURS))
        if rng.random() < CO_HANDLING_SHARE:
            accept.append((self.co_handle, NOTE_HOURS))
        if rng.random() < 0.1:
            accept.append((self.follow_up, FOLLOW_UP_HOURS))
        reply = [(self.reply, LATE_REPLY_HOURS if rng.random() < LATE_REPLY_SHARE else REPLY_HOURS)]
        if rng.random() < 0.15:
            reply.append((self.private_note, NOTE_HOURS))
        rating = [(self.rate_well, RATE_HOURS)] if rng.random() < 0.75 else []
        reopen = [(self.reply, REPLY_HOURS), (self.rate_poorly, RATE_HOURS)]
        close = [(self.close, CLOSE_HOURS)]
        if status == Post.Status.SUBMITTED:
            return []
        if status == Post.Status.REJECTED:
            return [(self.reject, REJECT_HOURS)]
        if status == Post.Status.ACCEPTED:
            return accept
        if status == Post.Status.REPLIED:
            return accept + reply + rating
        if status == Post.Status.REOPENED:
            return accept + reopen
        if rng.random() < 0.08:  # closed only after a second round
            return accept + reopen + [(self.reply, REPLY_HOURS)] + rating + close
        return accept + reply + rating + close

    def times(self, start, hour_ranges):
        gaps = [timedelta(hours=self.rng.uniform(*hours)) for hours in hour_ranges]
        room = self.now - start - timedelta(minutes=5)
        total = sum(gaps, timedelta())
        if total > room:  # a recent post: its history must fit into the time it has had
            gaps = [gap * (room / total) for gap in gaps]
        times, at = [], start
        for gap in gaps:
            at += gap
            times.append(at)
        return times

    def handler(self, story):
        return self.rng.choice(self.handlers[story.unit])

    # -- the actions, each through the model's own transition --------------------------------------

    def accept(self, story, at):
        story.post.accept(self.editor, story.unit)
        story.happened(at, accepted_at=at, **deadlines(story.post.kind, at))

    def transfer(self, story, at):
        """首接负责 in action: the first unit hands the post on, with a reason."""
        post = story.post
        to_unit = self.rng.choice([unit for unit in self.units.values() if unit != story.unit])
        reason = self.rng.choice(demo_data.TRANSFER_REASONS).format(unit=to_unit.name)
        post.transfer(self.handler(story), to_unit, reason)
        story.unit = to_unit
        story.happened(at, post.transfers.latest("pk"), **deadlines(post.kind, at))

    def co_handle(self, story, at):
        post = story.post
        co_unit = self.rng.choice([unit for unit in self.units.values() if unit != story.unit])
        post.add_co_units(self.handler(story), [co_unit])
        story.happened(at)
        note = post.add_note(self.rng.choice(self.handlers[co_unit]), self.rng.choice(demo_data.CO_HANDLING_NOTES))
        story.happened(at, note)

    def reject(self, story, at):
        story.post.reject(self.editor, self.rng.choice(demo_data.REJECT_REASONS))
        story.happened(at, closed_at=at)

    def reply(self, story, at):
        post = story.post
        template = story.topic.reply if post.round == 1 else self.rng.choice(demo_data.SECOND_REPLIES)
        # A poster who kept the post off the wall gets an answer meant for them alone.
        public = post.wants_public and self.rng.random() < 0.9
        reply = post.reply(self.handler(story), template.format_map(story.words), is_public=public)
        story.happened(at, reply, first_replied_at=story.post_times.get("first_replied_at", at))

    def private_note(self, story, at):
        body = self.rng.choice(demo_data.PRIVATE_REPLIES).format_map(story.words)
        story.happened(at, story.post.reply(self.handler(story), body, is_public=False))

    def follow_up(self, story, at):
        body = self.rng.choice(demo_data.FOLLOW_UPS)
        story.happened(at, story.post.add_follow_up(body))

    def rate_well(self, story, at):
        attitude, speed = self.rng.choices([5, 4, 3, 2], weights=[12, 6, 2, 1], k=2)
        result = self.rng.choices([5, 4, 3], weights=[12, 6, 2])[0]  # a result of 2 or less would reopen
        comment = self.rng.choice(demo_data.GOOD_COMMENTS)
        story.happened(at, story.post.rate(attitude, speed, result, comment=comment))

    def rate_poorly(self, story, at):
        """An unsatisfied result reopens the post by itself, with the poster's words as the reason."""
        post = story.post
        attitude, speed, result = self.rng.randint(2, 4), self.rng.randint(1, 3), self.rng.randint(1, 2)
        comment = self.rng.choice(demo_data.REOPEN_REASONS)
        story.happened(at, post.rate(attitude, speed, result, comment=comment))
        reason = post.follow_ups.filter(reopens=True).latest("pk")
        story.happened(at, reason, closed_at=None, **deadlines(post.kind, at))

    def close(self, story, at):
        closer = self.handler(story) if self.rng.random() < 0.7 else self.editor
        story.post.close(closer)
        story.happened(at, closed_at=at)

    # -- the wall ----------------------------------------------------------------------------------

    def hold_some(self, posts):
        """Two answered posts the unit cannot solve yet (挂账): one due today, one in three weeks."""
        answered = [post for post in posts if post.status == Post.Status.REPLIED][:2]
        today = timezone.localdate(self.now)
        for post, reason, days in zip(answered, demo_data.HOLD_REPLIES, (0, 21), strict=False):
            post.refresh_from_db()  # its history was backdated in the database
            handler = self.handlers[post.unit][0]
            reply = post.reply(
                handler, reason, is_public=False, cannot_solve=True, solve_by=today + timedelta(days=days)
            )
            # Said between the unit's first answer and now, like the rest of the backdated history.
            at = reply.created_at - (reply.created_at - post.first_replied_at) / 2
            type(reply).objects.filter(pk=reply.pk).update(created_at=at)
            entries = ModelLogEntry.objects.filter(content_type=self.post_type, object_id=str(post.pk))
            entries.filter(pk=entries.latest("pk").pk).update(timestamp=at)
            Post.objects.filter(pk=post.pk).update(updated_at=at)

    def instruct_once(self, posts, leader):
        """The leader's instruction (批示) on the oldest post of the overseen unit still awaiting a reply."""
        waiting = [post for post in posts if post.status in Post.AWAITING_REPLY]
        ours = [post for post in waiting if post.unit and post.unit.name == demo_data.OVERSEEN_UNIT] or waiting
        if ours:
            post = ours[0]
            post.refresh_from_db()
            instruction = post.instruct(leader, demo_data.INSTRUCTION)
            at = instruction.created_at - (instruction.created_at - post.accepted_at) / 3
            type(instruction).objects.filter(pk=instruction.pk).update(created_at=at)
            entries = ModelLogEntry.objects.filter(content_type=self.post_type, object_id=str(post.pk))
            entries.filter(pk=entries.latest("pk").pk).update(timestamp=at)

    def publish_most(self, posts):
        """Put most of the posts that may go on the wall there, and one of each topic at least (an
        answered one if there is): someone trying the demo's search finds every kind of story."""
        eligible = [post for post in posts if post.wants_public and post.status in Post.WALL_STATUSES]
        chosen = [post for post in eligible if self.generators[post.pk].random() < PUBLISHED_SHARE]
        shown = {self.topics[post.pk] for post in chosen}
        for post in sorted(eligible, key=lambda post: post.status not in Post.ANSWERED):
            if self.topics[post.pk] not in shown:
                chosen.append(post)
                shown.add(self.topics[post.pk])
        for post in chosen:
            self.rng = self.generators[post.pk]
            self.publish(post)
        return len(chosen)

    def publish(self, post):
        # The page is built from the post as it is in the database, with its history backdated.
        post.refresh_from_db()
        last_change = post.updated_at
        post.publish(self.editor)
        at = min(post.accepted_at + timedelta(hours=self.rng.uniform(*PUBLISH_HOURS)), self.now)
        last_change = max(at, last_change)
        Post.objects.filter(pk=post.pk).update(updated_at=last_change)
        entry = ModelLogEntry.objects.filter(content_type=self.post_type, object_id=str(post.pk)).latest("pk")
        ModelLogEntry.objects.filter(pk=entry.pk).update(timestamp=at)
        Page.objects.filter(pk=post.page_id).update(
            first_published_at=at, last_published_at=last_change, latest_revision_created_at=last_change
        )
        post.page.revisions.update(created_at=last_change)
        if post.status in Post.ANSWERED:
            self.reuse(post, since=at)

    def reuse(self, post, since):
        """Some readers said "我的问题已解决" under it on the submit form, after it went on the wall."""
        rng = random.Random(post.pk)  # noqa: S311 - its own generator: the rest of the demo stays as it was
        if rng.random() < REUSED_SHARE:
            span = (self.now - since).total_seconds()
            AnswerReused.objects.bulk_create(
                AnswerReused(post=post, created_at=since + timedelta(seconds=rng.uniform(0, span)))
                for _ in range(rng.randint(1, 6))
            )
